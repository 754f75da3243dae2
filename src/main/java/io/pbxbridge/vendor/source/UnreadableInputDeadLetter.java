package io.pbxbridge.vendor.source;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.vendor.VendorFailures;

/**
 * Where a source's input goes that is not an event (garbage, an event too large, one that never ended, one the parser
 * refused): its raw bytes or text are sent to the dead-letter endpoint with a header saying why, and the source goes
 * on. Every reject is counted ({@link #getRejectedCount()}, for health checks).
 *
 * <p>The input itself is never logged: it may carry anything, secrets included. The first reject of each reason is
 * logged at WARN (reason and size), the later ones at DEBUG; so is a dead-letter endpoint that fails, until it takes
 * a reject again. Without an endpoint the input is only counted and logged.
 */
public final class UnreadableInputDeadLetter extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(UnreadableInputDeadLetter.class);

    private final CamelContext camelContext;
    private final String source;
    private final String uri;
    private final String loggedUri;
    private final String reasonHeader;
    private final Map<String, Object> headers;
    private final AtomicLong rejected = new AtomicLong();
    private final Set<String> reasonsLogged = ConcurrentHashMap.newKeySet();
    private volatile boolean failing;
    private ProducerTemplate template;

    /**
     * @param source       whose input, for the log, e.g. {@code Escaux event stream from sop}
     * @param uri          the dead-letter endpoint; null or blank: none
     * @param reasonHeader the header that says why, e.g. {@code CamelEscauxRejectReason}
     * @param headers      headers every dead letter carries (the source's), may be empty
     */
    public UnreadableInputDeadLetter(CamelContext camelContext, String source, String uri, String reasonHeader,
                                     Map<String, Object> headers) {
        this.camelContext = camelContext;
        this.source = source;
        this.uri = uri == null || uri.isBlank() ? null : uri;
        this.loggedUri = URISupport.sanitizeUri(this.uri);
        this.reasonHeader = reasonHeader;
        this.headers = Map.copyOf(headers);
    }

    @Override
    protected void doStart() throws Exception {
        if (uri != null) {
            template = camelContext.createProducerTemplate();
            template.start();
        }
    }

    @Override
    protected void doStop() throws Exception {
        ServiceHelper.stopService(template);
        template = null;
    }

    /**
     * Counts, logs and dead-letters input that is not an event; never throws.
     *
     * @param reason why, e.g. {@code GARBAGE}: the reason header starts with it, and it is logged once
     * @param detail what more is known (a parser's message), appended to the header as {@code reason: detail}; or null
     * @param input  the raw input, the dead letter's body ({@code byte[]} or text)
     * @param size   how many bytes (or characters) were rejected in all, for the log
     */
    public void reject(String reason, String detail, Object input, long size) {
        long n = rejected.incrementAndGet();
        ProducerTemplate t = template;
        if (reasonsLogged.add(reason)) {
            LOG.warn("{}: skipped input that is no event: {} ({} bytes){}; later {} input is logged at DEBUG only "
                    + "(rejects so far: {})", source, reason, size, t == null ? "" : ", dead letter to " + loggedUri,
                    reason, n);
        } else {
            LOG.debug("{}: skipped input that is no event: {} ({} bytes); rejects so far: {}", source, reason, size, n);
        }
        if (t == null) {
            return;
        }
        Exchange sent;
        try {
            sent = t.send(uri, exchange -> {
                exchange.getIn().setBody(input);
                headers.forEach(exchange.getIn()::setHeader);
                exchange.getIn().setHeader(reasonHeader, detail == null ? reason : reason + ": " + detail);
            });
        } catch (RuntimeException e) {
            sendFailed(e);
            return;
        }
        if (sent.getException() != null) {
            sendFailed(sent.getException());
        } else {
            failing = false;
        }
    }

    private void sendFailed(Throwable failure) {
        String why = VendorFailures.rootMessage(failure);
        if (!failing) {
            failing = true;
            LOG.warn("{}: cannot send rejected input to {} ({}); further failures are logged at DEBUG until it "
                    + "takes one again", source, loggedUri, why);
        } else {
            LOG.debug("{}: cannot send rejected input to {} ({})", source, loggedUri, why);
        }
    }

    /** Input rejected since the start (sent to the dead letter or not). */
    public long getRejectedCount() {
        return rejected.get();
    }
}
