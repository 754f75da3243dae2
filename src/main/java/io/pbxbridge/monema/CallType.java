package io.pbxbridge.monema;

/** The {@code type} filter of {@code C_getCalls}. */
public enum CallType {
    /** Calls made to external numbers. */
    outgoing,
    /** Calls received from external numbers. */
    incoming,
    /** Calls between extensions. */
    internal
}
