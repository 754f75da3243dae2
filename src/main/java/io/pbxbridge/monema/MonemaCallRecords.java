package io.pbxbridge.monema;

import java.util.Locale;

import org.apache.camel.Converter;
import org.apache.camel.Exchange;

import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;

/** Maps Monema's {@link Calls} to the vendor-neutral {@link CallRecord}. */
@Converter(generateLoader = true)
public final class MonemaCallRecords {

    public static final String VENDOR = "monema";

    private MonemaCallRecords() {
    }

    /**
     * The record of one call. {@code source} is the server and account ({@code host/login}, as the
     * {@code CamelMonemaSource} header says); with the call id it forms the stable key. The recording reference is
     * the call id to pass to {@code monema:getCallDownloadLink}.
     */
    public static CallRecord toCallRecord(Calls c, String source) {
        boolean answered = "ANSWERED".equalsIgnoreCase(c.disposition());
        return new CallRecord(
                CallRecord.key(VENDOR, source, Long.toString(c.id())), VENDOR, source, c.uniqueid(),
                c.callTime(), null, c.callTime().plusSeconds(c.duration()), c.duration(),
                answered ? c.duration() : 0L, c.src(), c.dst(), direction(c.src(), c.dst()),
                disposition(c.disposition()), c.cost(), null,
                c.recorded() || c.extSrcRecorded() || c.extDstRecorded() ? Long.toString(c.id()) : null, c);
    }

    static Disposition disposition(String wire) {
        if (wire == null) {
            return Disposition.UNKNOWN;
        }
        return switch (wire.trim().toUpperCase(Locale.ROOT)) {
            case "ANSWERED" -> Disposition.ANSWERED;
            case "NO ANSWER", "NO_ANSWER", "NOANSWER" -> Disposition.NO_ANSWER;
            case "BUSY" -> Disposition.BUSY;
            case "CANCEL", "CANCELLED", "CANCELED" -> Disposition.CANCELLED;
            case "FAILED", "CONGESTION" -> Disposition.FAILED;
            default -> Disposition.UNKNOWN;
        };
    }

    /** Extensions are short numbers; anything longer is an external party. */
    static Direction direction(String src, String dst) {
        boolean srcExt = Direction.isExtension(src);
        boolean dstExt = Direction.isExtension(dst);
        if (srcExt && dstExt) {
            return Direction.INTERNAL;
        }
        if (srcExt) {
            return Direction.OUTBOUND;
        }
        if (dstExt) {
            return Direction.INBOUND;
        }
        return Direction.UNKNOWN;
    }


    /** Lets routes write {@code convertBodyTo: io.pbxbridge.model.CallRecord} on a split {@link Calls}. */
    @Converter
    public static CallRecord toCallRecord(Calls calls, Exchange exchange) {
        String source = exchange != null ? exchange.getMessage().getHeader(MonemaConstants.SOURCE, String.class) : null;
        return toCallRecord(calls, source != null ? source : "unknown");
    }
}
