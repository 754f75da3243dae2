package io.pbxbridge.monema;

/** Outcome of {@code C_makeCallResponse} for the source extension. */
public enum MakeCallStatus {
    /** The extension is not valid. */
    NO_SUCH_EXTENSION,
    /** The source extension did not answer. */
    NO_ANSWER,
    /** The source extension answered; the destination is being called. */
    ANSWERED,
    /** The source extension is busy. */
    BUSY,
    /** The source extension is not available right now. */
    NOT_AVAILABLE;

    static MakeCallStatus parse(String wire) {
        try {
            return valueOf(wire.trim().toUpperCase(java.util.Locale.ROOT).replace(' ', '_'));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown call status '" + wire + "'");
        }
    }
}
