package io.pbxbridge.fax;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.processor.errorhandler.RedeliveryPolicy;
import org.apache.camel.util.TimeUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cluster.Leadership;
import io.pbxbridge.model.FaxJob;
import io.pbxbridge.monema.FaxResult;
import io.pbxbridge.monema.MonemaConstants;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.monema.MonemaFaxListener;
import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.Durations;
import io.pbxbridge.support.LogSafe;
import io.pbxbridge.support.metrics.PbxMetrics;

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
    /** Codes of the outbox entries refused before anything is read (operation {@link #OUTBOX}). */
    static final String NAME_TOO_LONG = "NAME_TOO_LONG";
    static final String LINK_REFUSED = "LINK_REFUSED";
    static final String NOT_A_FILE = "NOT_A_FILE";
    static final String OUTBOX = "outbox";
    /** Longer names leave no room for the job's receipt and state file names (255 bytes at most). */
    static final int MAX_DOCUMENT_NAME_BYTES = FaxJobStore.MAX_KEY_BYTES + ".pdf".length();
    /** How many destinations the state, reports and events list (all are sent). */
    static final int MAX_LISTED_DESTINATIONS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(FaxJobs.class);

    private CamelContext camelContext;
    private ProducerTemplate events;
    private FaxJobStore store;
    private String outbox = "data/fax/outbox";
    private String sentDir = "data/fax/sent";
    private String failedDir = "data/fax/failed";
    private String stateDir = "data/fax/state";
    private String eventsEndpoint = "direct:fax-events";
    private Duration maxWait = Duration.ofHours(24);
    private long retryDelay = 2000;
    private long retryMaxDelay = 300_000;
    private String vendor = "monema";
    private String routeId = "fax-from-folder";

    public void prepare(Exchange exchange) {
        Path pdf = document(exchange);
        String jobId = jobId(pdf);
        FaxJobState state = store().load(jobId);
        exchange.setProperty(STATE, state);
        checkOutboxEntry(pdf);
        if (state != null && state.status() == FaxJobState.Status.SENT) {
            LOG.info("Fax job {} was sent before the restart (session {}); completing it without resending",
                    LogSafe.text(jobId), state.sessionId());
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
        } else if (state.status() == FaxJobState.Status.WAITING) {
            LOG.debug("Fax job {}: trying the vendor again (attempt {})", LogSafe.text(jobId), state.attempts() + 1);
        } else if (!fresh) {
            LOG.warn("Fax job {} was interrupted at {} (upload session {}); starting a new upload",
                    LogSafe.text(jobId), state.status(), state.sessionId());
        }
        exchange.setProperty(STATE, state);
        FaxRequest request = FaxRequest.of(pdf);
        // the state (and the reports and events made from it) keeps a bounded copy: the request has them all
        state = state.received(LogSafe.truncate(request.destinations(), MAX_LISTED_DESTINATIONS), now);
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
     * Refuses what is not a document put into the outbox: a symbolic link (it would fax a file from elsewhere, one
     * the writer of the outbox may not be allowed to read), a pipe or device (reading it may never end), a name too
     * long for the job's receipt and state files.
     */
    private static void checkOutboxEntry(Path pdf) {
        int bytes = pdf.getFileName().toString().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_DOCUMENT_NAME_BYTES) {
            throw new FaxJobException(NAME_TOO_LONG, OUTBOX, "the file name is " + bytes + " bytes long, over the"
                    + " limit of " + MAX_DOCUMENT_NAME_BYTES + " bytes: rename the document (and its sidecar)");
        }
        if (Files.isSymbolicLink(pdf)) {
            throw new FaxJobException(LINK_REFUSED, OUTBOX, FaxRequest.name(pdf) + " is a symbolic link; links are"
                    + " refused, so that only documents put into the outbox are faxed: copy the document itself in");
        }
        if (!Files.isRegularFile(pdf, LinkOption.NOFOLLOW_LINKS)) {
            throw new FaxJobException(NOT_A_FILE, OUTBOX, FaxRequest.name(pdf) + " is not a regular file");
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
                LinkOption.NOFOLLOW_LINKS));
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
        AtomicFiles.write(dir.resolve(FaxJobStore.fileName(state.jobId(), ".receipt.json")),
                Json.writePretty(receipt));
        publish(FaxJob.SENT, state, null);
        finished("sent", state);
        file(pdf, dir);
        store().delete(state.jobId());
        LOG.info("Fax job {} sent to {} ({} bytes, session {}{})", LogSafe.text(state.jobId()),
                LogSafe.text(state.destinations()), state.bytes(), state.sessionId(), state.waitingSince() == null ? ""
                        : ", after waiting " + printDuration(state.waitingSince(), Instant.now()) + " for the vendor");
    }

    /**
     * The error handler's step for a transient failure (the vendor unreachable or not answering): the job waits for
     * the vendor in state {@code WAITING} and is tried again after a backoff ({@code retryDelay} doubling with each
     * attempt up to {@code retryMaxDelay}), until {@code maxWait} has passed since its first such failure; then it is
     * failed. A job whose {@code C_sendFax} may have been carried out is failed at once: sending it again could fax it
     * twice.
     * <p>
     * Not Camel's redelivery, which would hold the exchange (the file, and a slot of {@code fax.concurrency}) in
     * memory for the whole wait, hours: a stop would have to wait for or fail every waiting job, and a restart would
     * forget when each was due. Here the exchange ends, the document stays in the outbox, and the outbox filter lets
     * it through again at {@code nextAttemptAt}, which is in the job's state and so survives a restart. The delays
     * are computed by Camel's {@link RedeliveryPolicy}.
     */
    public void waitForVendor(Exchange exchange) throws IOException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        FaxJobState state = exchange.getProperty(STATE, FaxJobState.class);
        if (leftForTheNextStart(exchange, cause)) {
            return;
        }
        if (state == null || state.status() == FaxJobState.Status.ARRIVED) {
            fail(exchange); // the job was not read yet: not the vendor's failure
            return;
        }
        String jobId = LogSafe.text(state.jobId());
        String error = LogSafe.truncate(String.valueOf(cause.getMessage()), LogSafe.MAX_MESSAGE_CHARS);
        if (state.status() == FaxJobState.Status.SENT) {
            LOG.warn("Fax job {} was sent but could not be filed ({}); filing it again at the next poll", jobId,
                    LogSafe.text(error, LogSafe.MAX_MESSAGE_CHARS));
            return; // prepare() completes a SENT job without sending it
        }
        if (state.status() == FaxJobState.Status.SENDING && !provesNotSent(cause)) {
            exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new FaxJobException(FaxJobException.SEND_OUTCOME_UNKNOWN,
                    "C_sendFax", "the server did not confirm C_sendFax (" + error + "); it may have sent the fax, so"
                            + " it is not resent automatically, to avoid faxing it twice. Check the Monema portal"
                            + " and move the PDF back to the outbox to send it again."));
            fail(exchange);
            return;
        }
        Instant now = Instant.now();
        Instant since = state.waitingSince() != null ? state.waitingSince() : now;
        Instant giveUp = since.plus(maxWait);
        if (!now.isBefore(giveUp)) {
            fail(exchange);
            return;
        }
        Instant next = now.plusMillis(backoff(state.attempts()));
        FaxJobState waiting = state.waiting(since, next, error);
        save(exchange, waiting);
        if (state.waitingSince() == null) {
            publish(FaxJob.WAITING, waiting, "waiting for the vendor: " + error);
        }
        LOG.warn("Fax job {} ({}) waits for the vendor: {} ({}); next attempt at {} (attempt {} failed; waiting since"
                + " {}, at most until {})", jobId, LogSafe.text(state.document()), inWords(cause),
                LogSafe.text(error, LogSafe.MAX_MESSAGE_CHARS), seconds(next), state.attempts(), seconds(since),
                seconds(giveUp));
    }

    /** A transient failure in a few words: whether the vendor could be reached at all. */
    private String inWords(Throwable cause) {
        VendorException v = vendorFailure(cause);
        if (v == null) {
            return vendor + " failed";
        }
        return switch (v.getKind()) {
            case UNREACHABLE -> v.getVendor() + " is unreachable";
            case NO_ANSWER -> v.getVendor() + " did not answer";
            default -> v.getVendor() + " failed";
        };
    }

    /** Whether a failed {@code C_sendFax} is known not to have been carried out (e.g. the server was unreachable). */
    static boolean provesNotSent(Throwable cause) {
        VendorException v = vendorFailure(cause);
        return v != null && v.provesNotExecuted();
    }

    /** The vendor's failure in the cause chain, or null. */
    private static VendorException vendorFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VendorException v) {
                return v;
            }
        }
        return null;
    }

    /**
     * While Camel stops, a job whose attempt was cut short (interrupted, refused by a stopping pool) is neither held
     * nor failed: its state stays as it is and the next start takes it up from there.
     */
    private boolean leftForTheNextStart(Exchange exchange, Throwable cause) {
        if (camelContext == null || !(camelContext.isStopping() || camelContext.isStopped())
                || cause instanceof VendorException || cause instanceof FaxJobException) {
            return false;
        }
        LOG.info("Fax job {} stays in the outbox for the next start (stopping: {})",
                LogSafe.text(jobId(document(exchange))), LogSafe.text(String.valueOf(cause)));
        return true;
    }

    /** The delay before attempt {@code attempts + 1}, as Camel's redelivery computes it. */
    long backoff(int attempts) {
        RedeliveryPolicy policy = new RedeliveryPolicy();
        policy.setRedeliveryDelay(retryDelay);
        policy.setMaximumRedeliveryDelay(retryMaxDelay);
        policy.setUseExponentialBackOff(true);
        policy.setBackOffMultiplier(2);
        long delay = 0;
        for (int i = 1; i <= Math.min(Math.max(1, attempts), 64); i++) { // at the maximum long before 64
            delay = policy.calculateRedeliveryDelay(delay, i);
        }
        return delay;
    }

    /**
     * What the outbox holds now, for a health check: the jobs whose document is in the outbox, how many are waiting
     * for the vendor, how old the oldest is.
     */
    public FaxOutboxStatus status() {
        Instant now = Instant.now();
        Path dir = Path.of(outbox);
        int jobs = 0;
        int queued = 0;
        int waiting = 0;
        Instant oldest = null;
        FaxJobState longestWaiting = null;
        for (FaxJobState s : store().all()) {
            if (s.document() == null || !Files.exists(dir.resolve(s.document()), LinkOption.NOFOLLOW_LINKS)) {
                continue; // filed or removed a moment ago
            }
            jobs++;
            Instant since = s.firstSeenAt() != null ? s.firstSeenAt() : s.receivedAt();
            if (since != null && (oldest == null || since.isBefore(oldest))) {
                oldest = since;
            }
            if (s.status() == FaxJobState.Status.ARRIVED) {
                queued++;
            } else if (s.status() == FaxJobState.Status.WAITING) {
                waiting++;
                if (longestWaiting == null || s.waitingSince().isBefore(longestWaiting.waitingSince())) {
                    longestWaiting = s;
                }
            }
        }
        return new FaxOutboxStatus(jobs, queued, jobs - queued - waiting, waiting,
                oldest == null ? Duration.ZERO : Duration.between(oldest, now),
                longestWaiting == null ? Duration.ZERO : Duration.between(longestWaiting.waitingSince(), now),
                longestWaiting == null ? null : longestWaiting.lastError());
    }

    /** {@code pbx_fax_jobs_seconds{outcome}}: jobs by final state, timed from their arrival in the outbox. */
    private void finished(String outcome, FaxJobState state) {
        Instant since = state.firstSeenAt() != null ? state.firstSeenAt() : state.receivedAt();
        if (camelContext == null || since == null) {
            return;
        }
        Timer.builder("pbx_fax_jobs").description("fax jobs ended, by outcome, from their arrival in the outbox")
                .tag("outcome", outcome).register(PbxMetrics.registry(camelContext))
                .record(Duration.between(since, Instant.now()));
    }

    /** Files a failed job: an error report saying why, document and sidecar into the failed folder. */
    public void fail(Exchange exchange) throws IOException {
        Path pdf = document(exchange);
        String jobId = jobId(pdf);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (leftForTheNextStart(exchange, cause)) {
            return;
        }
        FaxJobState state = exchange.getProperty(STATE, FaxJobState.class);
        int attempts = state != null ? Math.max(1, state.attempts()) : 1;
        // every field that can come from outside (names, sidecar values, what a server echoed) is bounded
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("jobId", LogSafe.truncate(jobId, LogSafe.MAX_CHARS));
        report.put("document", LogSafe.truncate(pdf.getFileName().toString(), LogSafe.MAX_CHARS));
        report.put("reason", LogSafe.truncate(reason(cause, attempts, state != null ? state.waitingSince() : null),
                LogSafe.MAX_MESSAGE_CHARS));
        report.put("code", LogSafe.truncate(code(cause), LogSafe.MAX_CHARS));
        report.put("operation", LogSafe.truncate(operation(cause), LogSafe.MAX_CHARS));
        report.put("transient", cause != null && VendorFailures.isTransient(cause));
        report.put("attempts", attempts);
        if (state != null) {
            report.put("destinations", state.destinations());
            report.put("lastStatus", state.status());
            report.put("sessionId", state.sessionId());
            report.put("receivedAt", state.receivedAt());
            report.put("waitingSince", state.waitingSince());
        }
        report.put("failedAt", Instant.now());
        Path dir = Path.of(failedDir);
        AtomicFiles.write(dir.resolve(FaxJobStore.fileName(jobId, ".error.json")), Json.writePretty(report));
        FaxJobState forEvent = state != null ? state : FaxJobState.arrived(jobId, pdf.getFileName().toString(), null);
        publish(FaxJob.FAILED, forEvent, (String) report.get("reason"));
        finished("failed", forEvent);
        file(pdf, dir);
        store().delete(jobId);
        LOG.warn("Fax job {} failed: {}", LogSafe.text(jobId), LogSafe.text(report.get("reason"),
                LogSafe.MAX_MESSAGE_CHARS));
    }

    /** The reason in words a user understands: which check failed, or what the server said. */
    static String reason(Throwable cause, int attempts, Instant waitingSince) {
        if (cause == null) {
            return "unknown failure";
        }
        if (cause instanceof VendorException v && v.isTransient()) {
            Instant now = Instant.now();
            return "gave up after waiting " + printDuration(waitingSince != null ? waitingSince : now, now)
                    + " for the vendor (" + attempts + " attempts): " + cause.getMessage();
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

    private static String printDuration(Instant from, Instant to) {
        return TimeUtils.printDuration(Duration.between(from, to), false);
    }

    /** An instant to the second, for log lines. */
    private static Instant seconds(Instant at) {
        return at.truncatedTo(ChronoUnit.SECONDS);
    }

    private void file(Path pdf, Path dir) throws IOException {
        Path sidecar = FaxRequest.sidecarOf(pdf);
        if (Files.exists(sidecar, LinkOption.NOFOLLOW_LINKS)) { // a link is moved, not what it points to
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
        FaxJob event = new FaxJob(UUID.randomUUID().toString(), type, LogSafe.truncate(state.jobId(), LogSafe.MAX_CHARS),
                vendor, LogSafe.truncate(state.document(), LogSafe.MAX_CHARS), state.destinations(),
                LogSafe.truncate(state.modem(), LogSafe.MAX_CHARS), state.sessionId(), state.bytes(), state.chunks(),
                state.attempts(), LogSafe.truncate(reason, LogSafe.MAX_MESSAGE_CHARS), Instant.now());
        try {
            events().sendBody(eventsEndpoint, event);
        } catch (RuntimeException e) {
            // the job's outcome is on disk either way; a lost status event must not undo it
            LOG.error("Could not publish {} for fax job {}: {}", type, LogSafe.text(state.jobId()),
                    LogSafe.text(e.getMessage(), LogSafe.MAX_MESSAGE_CHARS));
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
            store = new FaxJobStore(Path.of(stateDir), this::runsTheJobs);
        }
        return store;
    }

    /** Whether this process alone changes the jobs now: it is the only instance, or it leads the outbox's route. */
    private boolean runsTheJobs() {
        return camelContext == null || Leadership.of(camelContext).map(l -> !l.isLed(routeId) || l.leads(routeId))
                .orElse(true);
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

    public Duration getMaxWait() {
        return maxWait;
    }

    /**
     * How long a job may wait for the vendor, from its first transient failure, before it is failed: {@code 24h},
     * {@code 90m}, {@code 1h30m}, ISO-8601 ({@code PT24H}) or milliseconds.
     */
    public void setMaxWait(String maxWait) {
        this.maxWait = Durations.parse(maxWait);
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    /** The first delay (ms) before a job waiting for the vendor is tried again; it doubles with each attempt. */
    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    public long getRetryMaxDelay() {
        return retryMaxDelay;
    }

    /** The longest delay (ms) between two attempts of a job waiting for the vendor. */
    public void setRetryMaxDelay(long retryMaxDelay) {
        this.retryMaxDelay = retryMaxDelay;
    }

    public String getVendor() {
        return vendor;
    }

    public void setVendor(String vendor) {
        this.vendor = vendor;
    }

    public String getRouteId() {
        return routeId;
    }

    /** The route that consumes the outbox ({@code fax-from-folder}): with several instances, its leader runs jobs. */
    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

}
