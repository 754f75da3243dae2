package io.pbxbridge.escaux;

/** The answer of {@code dbAuthenticate}. */
public enum AuthenticateResult {
    /** check: the pincode matches; set: the new pincode is stored. */
    OK,
    /** The pincode does not match, the parameter or extension does not exist, or the update failed. */
    NOK,
    /** check: no pincode is stored for the extension. */
    UNDEFINED
}
