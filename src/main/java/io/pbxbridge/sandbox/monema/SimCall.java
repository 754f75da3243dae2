package io.pbxbridge.sandbox.monema;

import java.math.BigDecimal;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of an account's call log: the 13 fields of the {@code Calls} complex type, plus the call's tags (the
 * {@code CallsTags} returned by {@code C_getCallTags}; their {@code calls_id}, {@code clients_id} and
 * {@code uniqueid} are the call's).
 */
public record SimCall(long id, int clientsId, String src, String dst, int duration, String disposition,
        String uniqueid, boolean recorded, long calldate, int accountcode, BigDecimal cost, boolean extSrcRecorded,
        boolean extDstRecorded, List<Tag> tags) {

    private static final Pattern EXTENSION = Pattern.compile("\\d{2,5}");

    /** A tag of a call: {@code id} is the {@code CallsTags.id}, unique in the simulator. */
    public record Tag(long id, String tag) {
    }

    public SimCall {
        tags = List.copyOf(tags);
    }

    /** "outgoing", "incoming", "internal", or "external" (external to external, e.g. a forwarded call). */
    public String type() {
        return type(src, dst);
    }

    static String type(String src, String dst) {
        boolean srcExt = isExtension(src);
        boolean dstExt = isExtension(dst);
        if (srcExt && dstExt) {
            return "internal";
        }
        if (srcExt) {
            return "outgoing";
        }
        return dstExt ? "incoming" : "external";
    }

    /** Extensions are short internal numbers (2 to 5 digits); everything else is an external number. */
    static boolean isExtension(String number) {
        return number != null && EXTENSION.matcher(number).matches();
    }
}
