package io.pbxbridge.sandbox.portasip;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The time-period grammar of the spec's appendix ("How to Define a Time Period"): {@code sub-period[, sub-period...]},
 * each {@code scale {range [range ...]} [scale {range ...}]}, scales long or short ({@code wd {Mon-Fri} hr {9am-4pm}}).
 * Only checked, never evaluated.
 */
final class TimePeriod {

    private static final Map<String, String> SCALES = Map.ofEntries(Map.entry("year", "yr"), Map.entry("yr", "yr"),
            Map.entry("month", "mo"), Map.entry("mo", "mo"), Map.entry("week", "wk"), Map.entry("wk", "wk"),
            Map.entry("yday", "yd"), Map.entry("yd", "yd"), Map.entry("mday", "md"), Map.entry("md", "md"),
            Map.entry("wday", "wd"), Map.entry("wd", "wd"), Map.entry("hour", "hr"), Map.entry("hr", "hr"),
            Map.entry("minute", "min"), Map.entry("min", "min"), Map.entry("second", "sec"), Map.entry("sec", "sec"));
    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
            "oct", "nov", "dec");
    private static final List<String> DAYS = List.of("su", "mo", "tu", "we", "th", "fr", "sa");
    private static final Pattern SCALE = Pattern.compile("\\s*([a-zA-Z]+)\\s*\\{([^{}]*)\\}\\s*");
    private static final Pattern HOUR = Pattern.compile("(\\d{1,2})(am|pm|noon)?");

    private TimePeriod() {
    }

    /** Null when {@code period} is well formed (an empty one too: always), else what is wrong. */
    static String problem(String period) {
        if (period.isBlank()) {
            return null;
        }
        for (String sub : period.split(",", -1)) {
            if (sub.isBlank()) {
                return "an empty sub-period in \"" + period + "\"";
            }
            Matcher m = SCALE.matcher(sub);
            int at = 0;
            while (at < sub.length() && m.find(at) && m.start() == at) {
                String scale = SCALES.get(m.group(1).toLowerCase(Locale.ROOT));
                if (scale == null) {
                    return "unknown scale \"" + m.group(1) + "\"";
                }
                String ranges = m.group(2).trim();
                if (ranges.isEmpty()) {
                    return "no range in " + m.group(1) + " {}";
                }
                for (String range : ranges.split("\\s+")) {
                    String[] ends = range.split("-", -1);
                    if (ends.length > 2) {
                        return "bad range \"" + range + "\"";
                    }
                    for (String v : ends) {
                        if (!valid(scale, v.toLowerCase(Locale.ROOT))) {
                            return "\"" + v + "\" is not a value of " + m.group(1);
                        }
                    }
                }
                at = m.end();
            }
            if (at < sub.length()) {
                return "cannot read \"" + sub.substring(at).trim() + "\" (expected scale {range ...})";
            }
        }
        return null;
    }

    private static boolean valid(String scale, String v) {
        if (v.isEmpty()) {
            return false;
        }
        switch (scale) {
            case "mo":
                if (v.length() >= 3 && MONTHS.contains(v.substring(0, 3)) && v.chars().allMatch(Character::isLetter)) {
                    return true;
                }
                return number(v, 1, 12);
            case "wd":
                if (v.length() >= 2 && DAYS.contains(v.substring(0, 2)) && v.chars().allMatch(Character::isLetter)) {
                    return true;
                }
                return number(v, 1, 7);
            case "hr":
                Matcher h = HOUR.matcher(v);
                if (!h.matches()) {
                    return false;
                }
                int n = Integer.parseInt(h.group(1));
                if (h.group(2) == null) {
                    return n <= 23;
                }
                return h.group(2).equals("noon") ? n == 12 : n >= 1 && n <= 12;
            case "yr":
                return v.matches("\\d{1,4}") && (Integer.parseInt(v) <= 99 || Integer.parseInt(v) >= 1970);
            case "wk":
                return number(v, 1, 6);
            case "yd":
                return number(v, 1, 365);
            case "md":
                return number(v, 1, 31);
            default: // min, sec
                return number(v, 0, 59);
        }
    }

    private static boolean number(String v, int min, int max) {
        if (!v.matches("\\d{1,3}")) {
            return false;
        }
        int n = Integer.parseInt(v);
        return n >= min && n <= max;
    }
}
