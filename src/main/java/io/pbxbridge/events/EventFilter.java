package io.pbxbridge.events;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import io.pbxbridge.model.PbxEvent;

/**
 * Which events one sink takes, set from application.properties: comma-separated glob patterns ({@code *} = any
 * characters) for the event type (with or without the {@code pbx.} prefix: {@code call.*}, {@code fax.failed}), the
 * vendor, and the calling / called numbers ({@code +34*}). An empty or {@code *} pattern list takes everything; an
 * event without a number does not match a number pattern other than {@code *}.
 *
 * <p>As a route step ({@code process}) it filters the body, one {@link CloudEvent} or a list of them (a batch read
 * at once): the events that do not match are dropped, and the exchange ends here when none is left.
 */
public class EventFilter implements Processor {

    private List<Pattern> types = List.of();
    private List<Pattern> vendors = List.of();
    private List<Pattern> from = List.of();
    private List<Pattern> to = List.of();

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        Object body = in.getBody();
        if (body instanceof List<?> batch) {
            List<CloudEvent> kept = new java.util.ArrayList<>(batch.size());
            for (Object o : batch) {
                CloudEvent e = (CloudEvent) o;
                if (matches(e)) {
                    kept.add(e);
                }
            }
            if (kept.isEmpty()) {
                exchange.setRouteStop(true);
            } else if (kept.size() < batch.size()) {
                in.setBody(kept);
            }
        } else if (!matches(in.getMandatoryBody(CloudEvent.class))) {
            exchange.setRouteStop(true);
        }
    }

    public boolean matches(CloudEvent event) {
        if (!typeMatches(event.type()) || !vendorMatches(event.pbxvendor())) {
            return false;
        }
        if (event.data() instanceof PbxEvent e) {
            return any(from, e.callers()) && any(to, e.called());
        }
        return any(from, List.of()) && any(to, List.of());
    }

    /** Types and vendors are few: each one's answer is remembered (a regex match per event was a tenth of the
     * intake's allocations). Bounded, in case a PBX invents types without end. */
    private static final int MEMO_MAX = 1024;
    private final Map<String, Boolean> typeMemo = new ConcurrentHashMap<>();
    private final Map<String, Boolean> vendorMemo = new ConcurrentHashMap<>();

    private boolean typeMatches(String type) {
        if (types.isEmpty()) {
            return true;
        }
        Boolean known = typeMemo.get(type);
        if (known == null) {
            String bare = type.startsWith("pbx.") ? type.substring(4) : type;
            known = any(types, List.of(bare, type));
            if (typeMemo.size() < MEMO_MAX) {
                typeMemo.put(type, known);
            }
        }
        return known;
    }

    private boolean vendorMatches(String vendor) {
        if (vendors.isEmpty()) {
            return true;
        }
        if (vendor == null) {
            return false;
        }
        Boolean known = vendorMemo.get(vendor);
        if (known == null) {
            known = any(vendors, List.of(vendor));
            if (vendorMemo.size() < MEMO_MAX) {
                vendorMemo.put(vendor, known);
            }
        }
        return known;
    }

    private static boolean any(List<Pattern> patterns, Collection<String> values) {
        if (patterns.isEmpty()) {
            return true;
        }
        for (Pattern p : patterns) {
            for (String v : values) {
                if (v != null && p.matcher(v).matches()) {
                    return true;
                }
            }
        }
        return false;
    }

    static List<Pattern> globs(String csv) {
        if (csv == null || csv.isBlank() || Arrays.stream(csv.split(",")).anyMatch(g -> g.trim().equals("*"))) {
            return List.of(); // everything
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .map(g -> Pattern.compile(Arrays.stream(g.split("\\*", -1)).map(Pattern::quote)
                        .reduce((a, b) -> a + ".*" + b).orElse(""), Pattern.CASE_INSENSITIVE))
                .toList();
    }

    /** Event types, e.g. {@code call.*,fax.failed}. */
    public void setTypes(String types) {
        this.types = globs(types);
        typeMemo.clear();
    }

    /** Vendors, e.g. {@code escaux,monema}. */
    public void setVendors(String vendors) {
        this.vendors = globs(vendors);
        vendorMemo.clear();
    }

    /** Calling numbers, e.g. {@code +34*,1*}. */
    public void setFrom(String from) {
        this.from = globs(from);
    }

    /** Called numbers (fax destinations for fax events). */
    public void setTo(String to) {
        this.to = globs(to);
    }
}
