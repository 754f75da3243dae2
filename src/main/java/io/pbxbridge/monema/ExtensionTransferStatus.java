package io.pbxbridge.monema;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Result of {@code C_getExtensionTransferStatus}.
 *
 * @param enabled  whether a permanent transfer is active
 * @param number   where calls are transferred to
 * @param external whether {@code number} is an external number (false: an extension)
 */
public record ExtensionTransferStatus(boolean enabled, String number, @JsonProperty("is_external") boolean external) {
}
