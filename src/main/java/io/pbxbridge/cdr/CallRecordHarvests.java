package io.pbxbridge.cdr;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

import org.apache.camel.CamelContext;

/**
 * The running {@code cdr} consumers of a Camel context, by source, for harvests asked for outside their schedule:
 * "now" and backfills ({@code routes/cdr-harvest.camel.yaml} reads such requests from a folder). Bound in the
 * registry as {@code cdrHarvests}.
 */
public final class CallRecordHarvests {

    public static final String BEAN = "cdrHarvests";

    private final Map<String, CallRecordConsumer> consumers = new ConcurrentSkipListMap<>();

    /** The context's instance, bound on first use. */
    public static CallRecordHarvests of(CamelContext context) {
        synchronized (context) {
            CallRecordHarvests h = context.getRegistry().lookupByNameAndType(BEAN, CallRecordHarvests.class);
            if (h == null) {
                h = new CallRecordHarvests();
                context.getRegistry().bind(BEAN, CallRecordHarvests.class, h);
            }
            return h;
        }
    }

    void register(CallRecordConsumer consumer) {
        consumers.put(consumer.source(), consumer);
    }

    void unregister(CallRecordConsumer consumer) {
        consumers.remove(consumer.source(), consumer);
    }

    public List<String> sources() {
        return List.copyOf(consumers.keySet());
    }

    /**
     * The consumer of {@code source}: a source as its records name it ({@code monema:host/login}), or a vendor
     * ({@code monema}) when that vendor has one source.
     */
    public CallRecordConsumer consumer(String source) {
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException("say which source to harvest: one of " + sources());
        }
        CallRecordConsumer c = consumers.get(source.trim());
        if (c != null) {
            return c;
        }
        List<CallRecordConsumer> ofVendor = consumers.values().stream()
                .filter(x -> x.source().startsWith(source.trim() + ":")).toList();
        if (ofVendor.size() == 1) {
            return ofVendor.get(0);
        }
        throw new IllegalArgumentException((ofVendor.isEmpty() ? "no CDR harvest runs for '" : "several sources match '")
                + source + "': one of " + sources());
    }

    /** Harvests {@code source}'s live window now. */
    public HarvestRun now(String source) throws Exception {
        return consumer(source).harvestNow();
    }

    /** Harvests {@code source}'s records of {@code (from, to]} again, without moving its checkpoint. */
    public HarvestRun backfill(String source, Instant from, Instant to) throws Exception {
        return consumer(source).backfill(new HarvestWindow(from, to));
    }
}
