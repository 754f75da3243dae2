package io.pbxbridge.fax;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.GenericFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.model.FaxJob;
import io.pbxbridge.monema.FaxResult;
import io.pbxbridge.monema.MonemaConstants;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.monema.MonemaFaxListener;
import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;

/**
 * The steps of the fax-from-folder route around {@code monema:fax}: {@link #prepare} reads the job and its persisted
 * progress, the listener callbacks persist each step, {@link #complete} and {@link #fail} file the document with a
 * receipt or an error report. Each status change is published as a {@link FaxJob} event.
 */
public class FaxJobs implements MonemaFaxListener, CamelContextAware {

    /** Set by {@link #prepare} when a restarted job had already been sent: only completion remains. */
    public static final String ALREADY_SENT = "PbxFaxAlreadySent";
    static final String STATE = "PbxFaxJobState";
    static final String DOCUMENT = "PbxFaxDocument";
    /** The code and operation of a failure within pbx-bridge itself (a folder that cannot be written, ...). */
    static final String LOCAL_ERROR = "LOCAL_ERROR";
    static final String LOCAL = "local";
    private static final Logger LOG = LoggerFactory.getLogger(FaxJobs.class);

    private CamelContext camelContext;
    private ProducerTemplate events;
    private FaxJobStore store;
    private String outbox = "data/fax/outbox";
    private String sentDir = "data/fax/sent";
    private String failedDir = "data/fax/failed";
    private String stateDir = "data/fax/state";
    private String eventsEndpoint = "direct:fax-events";
    private String vendor = "monema";

    public void prepare(Exchange exchange) {
        Path pdf = document(exchange);
        String jobId = jobId(pdf);
        FaxJobState state = store().load(jobId);
        if (state != null && state.status() == FaxJobState.Status.SENT) {
            LOG.info("Fax job {} was sent before the restart (session {}); completing it without resending", jobId,
                    state.sessionId());
            exchange.setProperty(STATE, state);
            exchange.getIn().setHeader(ALREADY_SENT, true);
            return;
        }
        if (state != null && state.status() == FaxJobState.Status.SENDING) {
            exchange.setProperty(STATE, state);
            throw new FaxJobException(FaxJobException.SEND_OUTCOME_UNKNOWN, "C_sendFax",
                    "the process stopped while the server was sending this fax (upload session "
                    + state.sessionId() + "); it is not resent automatically, to avoid faxing it twice. Check the"
                    + " Monema portal and move the PDF back to the outbox to send it again.");
        }
        Instant now = Instant.now();
        boolean fresh = state == null || state.status() == FaxJobState.Status.ARRIVED;
        if (state == null) {
            state = FaxJobState.arrived(jobId, pdf.getFileName().toString(), now);
        } else if (!fresh) {
            LOG.warn("Fax job {} was interrupted at {} (upload session {}); starting a new upload", jobId,
                    state.status(), state.sessionId());
        }
        exchange.setProperty(STATE, state);
        FaxRequest request = FaxRequest.of(pdf);
        state = state.received(request.destinations(), now);
        save(exchange, state);
        if (fresh) {
            publish(FaxJob.RECEIVED, state, null);
        }
        exchange.getIn().setHeader(MonemaConstants.DEST_NUMBERS, request.destinations());
        if (request.modem() != null) {
            exchange.getIn().setHeader(MonemaConstants.FAX_MODEM, request.modem());
        }
        if (request.cover() != null) {
            exchange.getIn().setHeader(MonemaConstants.FAX_COVER, request.cover());
        }
    }

    /**
     * The state of the job of an outbox PDF, which the outbox filter has just listed: when it has none yet, it is
     * first seen now, and that is written down (the sidecar's grace period counts from then, also after a restart).
     */
    FaxJobState arrived(String jobId, String document, Instant now) {
        FaxJobState state = store().load(jobId);
        if (state == null) {
            state = FaxJobState.arrived(jobId, document, now);
            store().save(state);
        }
        return state;
    }

    /** Forgets the jobs whose document left the outbox without being filed (removed by hand, or a crash after it). */
    void forgetVanishedJobs() {
        Path dir = Path.of(outbox);
        store().deleteIf(state -> state.document() != null && !Files.exists(dir.resolve(state.document()),
                java.nio.file.LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    public void started(Exchange exchange) {
        save(exchange, state(exchange).attempt());
    }

    @Override
    public void uploadStarted(Exchange exchange, String sessionId, String modem) {
        save(exchange, state(exchange).uploading(sessionId, modem));
    }

    @Override
    public void uploaded(Exchange exchange, String sessionId, long bytes, int chunks) {
        FaxJobState state = state(exchange).uploaded(bytes, chunks, Instant.now());
        save(exchange, state);
        publish(FaxJob.UPLOADED, state, null);
    }

    @Override
    public void sending(Exchange exchange, String sessionId) {
        save(exchange, state(exchange).with(FaxJobState.Status.SENDING));
    }

    @Override
    public void sent(Exchange exchange, FaxResult result) {
        save(exchange, state(exchange).sent(result.sentAt()));
    }

    /** Files a sent job: receipt, document and sidecar into the sent folder. */
    public void complete(Exchange exchange) throws IOException {
        Path pdf = document(exchange);
        FaxJobState state = state(exchange);
        Map<String, Object> receipt = new LinkedHashMap<>();
        receipt.put("jobId", state.jobId());
        receipt.put("document", state.document());
        receipt.put("vendor", vendor);
        receipt.put("sessionId", state.sessionId());
        receipt.put("modem", state.modem());
        receipt.put("destinations", state.destinations());
        receipt.put("bytes", state.bytes());
        receipt.put("chunks", state.chunks());
        receipt.put("attempts", state.attempts());
        receipt.put("receivedAt", state.receivedAt());
        receipt.put("uploadedAt", state.uploadedAt());
        receipt.put("sentAt", state.sentAt());
        Path dir = Path.of(sentDir);
        AtomicFiles.write(dir.resolve(state.jobId() + ".receipt.json"), Json.writePretty(receipt));
        publish(FaxJob.SENT, state, null);
        file(pdf, dir);
        store().delete(state.jobId());
        LOG.info("Fax job {} sent to {} ({} bytes, session {})", state.jobId(), state.destinations(), state.bytes(),
                state.sessionId());
    }

    /** Files a failed job: an error report saying why, document and sidecar into the failed folder. */
    public void fail(Exchange exchange) throws IOException {
        Path pdf = document(exchange);
        String jobId = jobId(pdf);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FaxJobState state = exchange.getProperty(STATE, FaxJobState.class);
        // Camel drops its redelivery headers once onException handles the exchange: count attempts ourselves
        int attempts = state != null ? Math.max(1, state.attempts()) : 1;
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("jobId", jobId);
        report.put("document", pdf.getFileName().toString());
        report.put("reason", reason(cause, attempts));
        report.put("code", code(cause));
        report.put("operation", operation(cause));
        report.put("transient", cause != null && VendorFailures.isTransient(cause));
        report.put("attempts", attempts);
        if (state != null) {
            report.put("destinations", state.destinations());
            report.put("lastStatus", state.status());
            report.put("sessionId", state.sessionId());
            report.put("receivedAt", state.receivedAt());
        }
        report.put("failedAt", Instant.now());
        Path dir = Path.of(failedDir);
        AtomicFiles.write(dir.resolve(jobId + ".error.json"), Json.writePretty(report));
        FaxJobState forEvent = state != null ? state : FaxJobState.arrived(jobId, pdf.getFileName().toString(), null);
        publish(FaxJob.FAILED, forEvent, (String) report.get("reason"));
        file(pdf, dir);
        store().delete(jobId);
        LOG.warn("Fax job {} failed: {}", jobId, report.get("reason"));
    }

    /** The reason in words a user understands: which check failed, or what the server said. */
    static String reason(Throwable cause, int attempts) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof VendorException v && v.isTransient()) {
            return "gave up after " + attempts + " attempts: " + cause.getMessage();
        }
        if (cause instanceof VendorException || cause instanceof FaxJobException) {
            return cause.getMessage();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    /** The vendor's code, ours for what pbx-bridge refused itself, or {@link #LOCAL_ERROR}. */
    static String code(Throwable cause) {
        if (cause instanceof VendorException v) {
            return v.getCode() != null ? v.getCode() : v.getKind().name();
        }
        return cause instanceof FaxJobException f ? f.getCode() : LOCAL_ERROR;
    }

    /** The vendor operation or the step that failed. */
    static String operation(Throwable cause) {
        if (cause instanceof VendorException v) {
            return v.getOperation();
        }
        return cause instanceof FaxJobException f ? f.getOperation() : LOCAL;
    }

    private void file(Path pdf, Path dir) throws IOException {
        Path sidecar = FaxRequest.sidecarOf(pdf);
        if (Files.exists(sidecar)) {
            AtomicFiles.move(sidecar, dir.resolve(sidecar.getFileName()));
        }
        AtomicFiles.move(pdf, dir.resolve(pdf.getFileName())); // last: once out of the outbox the job is done
    }

    private void save(Exchange exchange, FaxJobState state) {
        store().save(state);
        exchange.setProperty(STATE, state);
    }

    private static FaxJobState state(Exchange exchange) {
        FaxJobState state = exchange.getProperty(STATE, FaxJobState.class);
        if (state == null) {
            throw new IllegalStateException("no fax job on this exchange: call faxJobs.prepare first");
        }
        return state;
    }

    private void publish(String type, FaxJobState state, String reason) {
        FaxJob event = new FaxJob(UUID.randomUUID().toString(), type, state.jobId(), vendor, state.document(),
                state.destinations(), state.modem(), state.sessionId(), state.bytes(), state.chunks(), state.attempts(),
                reason, Instant.now());
        try {
            events().sendBody(eventsEndpoint, event);
        } catch (RuntimeException e) {
            // the job's outcome is on disk either way; a lost status event must not undo it
            LOG.error("Could not publish {} for fax job {}: {}", type, state.jobId(), e.getMessage());
        }
    }

    /** The outbox file of the job: the body when the job starts, remembered for the steps after monema:fax. */
    private static Path document(Exchange exchange) {
        Path pdf = exchange.getProperty(DOCUMENT, Path.class);
        if (pdf == null) {
            GenericFile<?> file = exchange.getIn().getBody(GenericFile.class);
            if (file == null) {
                throw new IllegalArgumentException("faxJobs works on files from the outbox; body is "
                        + exchange.getIn().getBody());
            }
            pdf = Path.of(file.getAbsoluteFilePath());
            exchange.setProperty(DOCUMENT, pdf);
        }
        return pdf;
    }

    static String jobId(Path pdf) {
        String name = pdf.getFileName().toString();
        return name.substring(0, name.length() - 4);
    }

    private synchronized FaxJobStore store() {
        if (store == null) {
            store = new FaxJobStore(Path.of(stateDir));
        }
        return store;
    }

    private synchronized ProducerTemplate events() {
        if (events == null) {
            events = camelContext.createProducerTemplate();
        }
        return events;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    public String getOutbox() {
        return outbox;
    }

    /** The outbox folder (the fax-from-folder route's). */
    public void setOutbox(String outbox) {
        this.outbox = outbox;
    }

    public String getSentDir() {
        return sentDir;
    }

    public void setSentDir(String sentDir) {
        this.sentDir = sentDir;
    }

    public String getFailedDir() {
        return failedDir;
    }

    public void setFailedDir(String failedDir) {
        this.failedDir = failedDir;
    }

    public String getStateDir() {
        return stateDir;
    }

    public void setStateDir(String stateDir) {
        this.stateDir = stateDir;
    }

    public String getEventsEndpoint() {
        return eventsEndpoint;
    }

    public void setEventsEndpoint(String eventsEndpoint) {
        this.eventsEndpoint = eventsEndpoint;
    }

    public String getVendor() {
        return vendor;
    }

    public void setVendor(String vendor) {
        this.vendor = vendor;
    }

}
