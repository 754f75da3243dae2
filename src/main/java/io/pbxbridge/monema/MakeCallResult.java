package io.pbxbridge.monema;

/**
 * Result of {@code C_makeCallResponse}.
 *
 * @param ok       whether the call was placed
 * @param status   what the source extension did
 * @param uniqueid id of the call made, when placed
 */
public record MakeCallResult(boolean ok, MakeCallStatus status, String uniqueid) {
}
