package io.pbxbridge.portasip;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The reply of a method that answers only {@code success} (Session {@code logout}, SMPreferences
 * {@code set_*_preferences}, most Call Control methods): 1 (or any non-zero value) when it was carried out. A reply
 * with 0 is never returned as this: it is the component's exception.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PortaSipSuccess(int success) {

    public boolean isSuccess() {
        return success != 0;
    }
}
