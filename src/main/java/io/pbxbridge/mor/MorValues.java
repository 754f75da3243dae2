package io.pbxbridge.mor;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;

/**
 * Reads the values of MOR's pages: dates {@code yyyy-MM-dd HH:mm:ss} (the server's local time), days
 * {@code yyyy-MM-dd}, durations {@code HH:MM:SS}, decimals, amounts {@code 100 USD}. Empty values are null. A value
 * that is not what its field holds is a {@link MorResponseException} naming the page, the field and the value. The
 * common forms are parsed by hand (a call list has hundreds of thousands of dates).
 */
final class MorValues {

    private final String operation;
    private final String page;

    MorValues(String operation, String page) {
        this.operation = operation;
        this.page = page;
    }

    String operation() {
        return operation;
    }

    String page() {
        return page;
    }

    /** Null for an absent or empty value. */
    static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    LocalDateTime dateTime(MorElement e, String field) {
        String s = e.field(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        LocalDateTime fast = fastDateTime(s);
        if (fast != null) {
            return fast;
        }
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            return LocalDateTime.parse(s.replace(' ', 'T'));
        } catch (DateTimeParseException ex) {
            throw bad(e, field, s, "a date (yyyy-MM-dd HH:mm:ss)");
        }
    }

    LocalDate date(MorElement e, String field) {
        String s = e.field(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return s.length() > 10 ? LocalDate.parse(s.substring(0, 10)) : LocalDate.parse(s);
        } catch (DateTimeParseException ex) {
            throw bad(e, field, s, "a day (yyyy-MM-dd)");
        }
    }

    /** {@code HH:MM:SS} (hours may pass 24), {@code MM:SS}, or seconds. */
    Duration duration(MorElement e, String field) {
        String s = e.field(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        long seconds = 0;
        int parts = 0;
        int value = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                value = (value < 0 ? 0 : value * 10) + (c - '0');
                if (value > 100_000_000) {
                    throw bad(e, field, s, "a duration (HH:MM:SS)");
                }
            } else if (c == ':' && value >= 0 && parts < 2) {
                seconds = seconds * 60 + value;
                value = -1;
                parts++;
            } else {
                throw bad(e, field, s, "a duration (HH:MM:SS)");
            }
        }
        if (value < 0) {
            throw bad(e, field, s, "a duration (HH:MM:SS)");
        }
        return Duration.ofSeconds(seconds * 60 + value);
    }

    BigDecimal decimal(MorElement e, String field) {
        String s = e.field(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return new BigDecimal(s.replace(',', '.'));
        } catch (NumberFormatException ex) {
            throw bad(e, field, s, "a number");
        }
    }

    Integer integer(MorElement e, String field) {
        String s = e.field(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        try {
            return Integer.valueOf(s);
        } catch (NumberFormatException ex) {
            throw bad(e, field, s, "a whole number");
        }
    }

    /** {@code 100 USD}, {@code -5.20 EUR}, {@code 10}: an amount and its currency, if written. */
    MorMoney money(MorElement e, String field) {
        String s = e.field(field);
        if (s == null || s.isEmpty()) {
            return null;
        }
        int space = s.lastIndexOf(' ');
        String amount = space < 0 ? s : s.substring(0, space).strip();
        String currency = space < 0 ? null : s.substring(space + 1);
        try {
            return new MorMoney(new BigDecimal(amount.replace(',', '.')), currency);
        } catch (NumberFormatException ex) {
            throw bad(e, field, s, "an amount (100 USD)");
        }
    }

    /** 1/0, yes/no, true/false (Payments' completed is "Yes"). */
    boolean flag(MorElement e, String field) {
        String s = e.field(field);
        if (s == null || s.isEmpty()) {
            return false;
        }
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "1", "yes", "true", "y" -> true;
            case "0", "no", "false", "n" -> false;
            default -> throw bad(e, field, s, "a yes/no (1, 0, Yes, No)");
        };
    }

    private MorResponseException bad(MorElement e, String field, String value, String what) {
        return new MorResponseException(operation, "mor:" + operation + ": the page " + page + " has <" + field
                + "> '" + abbreviate(value) + "' in <" + e.name + ">, not " + what);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** {@code yyyy-MM-dd HH:mm:ss} by hand, or null for any other form. */
    static LocalDateTime fastDateTime(String s) {
        if (s.length() != 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != ' ' && s.charAt(10) != 'T')
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 2);
        int day = digits(s, 8, 2);
        int hour = digits(s, 11, 2);
        int minute = digits(s, 14, 2);
        int second = digits(s, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second);
        } catch (java.time.DateTimeException ex) {
            return null;
        }
    }

    private static int digits(String s, int from, int n) {
        int v = 0;
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
