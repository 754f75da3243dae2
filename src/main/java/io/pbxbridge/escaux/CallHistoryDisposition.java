package io.pbxbridge.escaux;

import io.pbxbridge.model.Disposition;

/** The disposition codes of {@code dbGetCallHistory}, with the spec's names and the vendor-neutral disposition. */
public enum CallHistoryDisposition {
    PLACED("000", "placed"),
    PLACED_PRIMARY("001", "placed by primary phone"),
    PLACED_SECONDARY("002", "placed by secondary phone"),
    PLACED_MOBILE("003", "placed by mobile phone"),
    MISSED("100", "missed"),
    MISSED_PRIMARY("101", "missed on primary phone"),
    MISSED_SECONDARY("102", "missed on secondary phone"),
    MISSED_MOBILE("103", "missed on mobile phone"),
    ANSWERED("200", "answered"),
    ANSWERED_PRIMARY("201", "answered on primary phone"),
    ANSWERED_SECONDARY("202", "answered on secondary phone"),
    ANSWERED_MOBILE("203", "answered on mobile phone"),
    VOICEMAIL("300", "sent to voicemail");

    private final String code;
    private final String label;

    CallHistoryDisposition(String code, String label) {
        this.code = code;
        this.label = label;
    }

    public String code() {
        return code;
    }

    /** The spec's wording, e.g. {@code missed on primary phone}. */
    public String label() {
        return label;
    }

    public boolean placed() {
        return code.charAt(0) == '0';
    }

    /**
     * The vendor-neutral disposition: answered codes are ANSWERED, missed codes and voicemail NO_ANSWER (nobody took
     * the call), placed calls ANSWERED when billed seconds are known to be positive, else NO_ANSWER.
     */
    public Disposition toDisposition(Long billsec) {
        return switch (code.charAt(0)) {
            case '2' -> Disposition.ANSWERED;
            case '1', '3' -> Disposition.NO_ANSWER;
            default -> billsec == null ? Disposition.UNKNOWN : billsec > 0 ? Disposition.ANSWERED : Disposition.NO_ANSWER;
        };
    }

    /** By code; {@code "0"}, {@code "00"} and {@code "000"} are the same (the SOP may drop leading zeros). */
    public static CallHistoryDisposition of(String code) {
        if (code == null) {
            throw new IllegalArgumentException("no disposition code");
        }
        String c = code.trim();
        if (c.matches("[0-9]{1,3}")) {
            c = "000".substring(c.length()) + c;
            for (CallHistoryDisposition d : values()) {
                if (d.code.equals(c)) {
                    return d;
                }
            }
        }
        for (CallHistoryDisposition d : values()) {
            if (d.label.equalsIgnoreCase(c) || d.name().equalsIgnoreCase(c)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown disposition code '" + code + "' (000-003, 100-103, 200-203, 300)");
    }
}
