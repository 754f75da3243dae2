package io.pbxbridge.config;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.config.Vendors.Vendor;
import io.pbxbridge.vendor.VendorException;

/**
 * Asks a vendor one harmless question once the routes have started (Monema: {@code getCredit}, which also proves the
 * login), so that a server that is unreachable or refuses the account is noticed at start-up, in one WARN line naming
 * the address and the cause, rather than by the first failed fax. It runs in the background: start-up does not wait
 * for a server that does not answer.
 * <p>
 * {@link #result()} is the outcome for whoever reports on it (a health check): bound in the registry as
 * {@code startupProbe.<vendor>}.
 */
public final class VendorStartupProbe implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(VendorStartupProbe.class);

    /** The outcome: {@code ok}, or what went wrong in words; {@code kind} is the vendor layer's (UNREACHABLE, ...). */
    public record Result(String vendor, String address, boolean ok, String kind, String detail, Instant at) {
    }

    private final Vendor vendor;
    private final String probeUri;
    private volatile Result result;

    public VendorStartupProbe(Vendor vendor, String probeUri) {
        this.vendor = vendor;
        this.probeUri = probeUri;
    }

    /** Registers a probe of {@code vendor} with {@code context} if that vendor is on. */
    public static void register(CamelContext context, Vendors vendors, Vendor vendor, String probeUri)
            throws Exception {
        if (vendors.isOn(vendor)) {
            VendorStartupProbe probe = new VendorStartupProbe(vendor, probeUri);
            context.getRegistry().bind(beanName(vendor), probe);
            context.addStartupListener(probe);
        }
    }

    /** The name a vendor's probe is bound under: {@code startupProbe.monema}. */
    public static String beanName(Vendor vendor) {
        return "startupProbe." + vendor.component();
    }

    /** The outcome of the start-up probe; empty while it runs. */
    public Optional<Result> result() {
        return Optional.ofNullable(result);
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // the routes start after this; see onCamelContextFullyStarted
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        ExecutorService executor = context.getExecutorServiceManager().newSingleThreadExecutor(this,
                vendor.component() + "-startup-probe");
        executor.submit(() -> {
            try {
                probe(context);
            } finally {
                context.getExecutorServiceManager().shutdown(executor);
            }
        });
    }

    /** Runs the probe now (on the caller's thread) and logs its outcome: INFO when it answers, else WARN. */
    public Result probe(CamelContext context) {
        String address = Vendors.of(context).map(v -> v.state(vendor).address()).orElse("?");
        String shown = ConnectionTargets.mask(address);
        Result r;
        try (ProducerTemplate template = context.createProducerTemplate()) {
            template.requestBody(probeUri, (Object) null);
            r = new Result(vendor.component(), shown, true, null, null, Instant.now());
            LOG.info("{} at {} answers", vendor.title(), shown);
        } catch (Exception e) {
            VendorException failure = vendorFailure(e);
            String kind = failure != null ? failure.getKind().name() : null;
            String detail = failure != null ? failure.getMessage() : rootMessage(e);
            r = new Result(vendor.component(), shown, false, kind, detail, Instant.now());
            LOG.warn("{} at {} did not answer at start-up{}: {}. pbx-bridge goes on; what needs {} waits or fails "
                    + "until it answers", vendor.title(), shown, kind != null ? " (" + kind + ")" : "", detail,
                    vendor.title());
        }
        result = r;
        return r;
    }

    private static VendorException vendorFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof VendorException v) {
                return v;
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
