package io.pbxbridge.metasec;

import java.util.Locale;

/**
 * An extension's state as {@code call_status_get} reports it: Asterisk's extension (hint) states, which the spec's
 * garbled list ("- 1 = Exten not found, - 0 = Idle, - 1 = In Use, - 4 = Unavailable, - 8 = Ringing") is a part of.
 * Busy (2) and on hold (16) are Asterisk's too, and so are the combined states 9 (in use and ringing) and 17 (in use
 * and on hold).
 */
public enum ExtensionState {
    NOT_FOUND(-1),
    IDLE(0),
    IN_USE(1),
    BUSY(2),
    UNAVAILABLE(4),
    RINGING(8),
    IN_USE_RINGING(9),
    ON_HOLD(16),
    IN_USE_ON_HOLD(17);

    private final int code;

    ExtensionState(int code) {
        this.code = code;
    }

    /** The numeric state on the wire. */
    public int code() {
        return code;
    }

    /** The state of {@code code}, or null for a code Asterisk does not have. */
    public static ExtensionState of(int code) {
        for (ExtensionState s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        return null;
    }

    /**
     * The state written as a number ({@code 8}, {@code -1}) or as Asterisk's text ({@code Idle}, {@code InUse},
     * {@code In Use}, {@code Busy}, {@code Unavailable}, {@code Ringing}, {@code InUse&Ringing}, {@code Hold},
     * {@code InUse&Hold}); null when it is neither.
     */
    public static ExtensionState parse(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        try {
            return of(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            String n = t.toLowerCase(Locale.ROOT).replace(" ", "").replace("_", "");
            return switch (n) {
                case "notfound", "unknown" -> NOT_FOUND;
                case "idle", "notinuse" -> IDLE;
                case "inuse" -> IN_USE;
                case "busy" -> BUSY;
                case "unavailable" -> UNAVAILABLE;
                case "ringing" -> RINGING;
                case "inuse&ringing" -> IN_USE_RINGING;
                case "hold", "onhold" -> ON_HOLD;
                case "inuse&hold", "inuse&onhold" -> IN_USE_ON_HOLD;
                default -> null;
            };
        }
    }
}
