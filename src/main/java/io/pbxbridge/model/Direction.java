package io.pbxbridge.model;

/** Direction of a call as seen from the PBX. */
public enum Direction {
    INBOUND,
    OUTBOUND,
    INTERNAL,
    UNKNOWN;

    /**
     * Whether {@code number} is a PBX extension rather than an outside party: 2 to 6 ASCII digits, how every vendor's
     * mapping tells the two apart. A loop, not a regex: it runs for every event and harvested call.
     */
    public static boolean isExtension(String number) {
        if (number == null || number.length() < 2 || number.length() > 6) {
            return false;
        }
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
