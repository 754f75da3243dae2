package io.pbxbridge.command;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.command.CommandLedger.Entry;
import io.pbxbridge.command.CommandLedger.State;
import io.pbxbridge.command.CommandTargets.Target;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.metrics.PbxMetrics;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorEndpoint;
import io.pbxbridge.vendor.VendorFailures;
import io.pbxbridge.vendor.operation.OperationInput;
import io.pbxbridge.vendor.operation.Repeat;

/**
 * Executes commands at most once and answers each one (bean {@code commandExecutor}; see
 * {@code routes/commands.camel.yaml}). For each message: read the command ({@link CommandParser}), find its target
 * and map its verb ({@link CommandTargets}, {@link CommandVerbs}): what is wrong so far is answered {@code rejected}
 * or {@code unsupported} at once. Then claim its id in the {@link CommandLedger} (durably, before the vendor is
 * called), call the vendor operation through its component, and record the result before answering. A redelivery
 * (Kafka after a crash, a sender that sends again) finds the id recorded and gets the recorded result again, byte
 * for byte, without a second vendor request; an id claimed by this instance before a crash, with no result, is
 * answered {@code unknown} and never executed again automatically.
 *
 * <p>Retries: a command that is safe to repeat (reads, settings, a hang-up) is sent again after a transient failure,
 * with backoff, until its {@code notAfter} (or {@code commands.retry.max-duration} after it arrived); one that places
 * a call, sends a message or a fax is sent once. Its transient failure is {@code failed} with {@code transient:
 * true} when the vendor's answer proves it was not carried out (unreachable, refused), {@code unknown} when the
 * request may have reached the vendor (no answer, a reply that cannot be read).
 *
 * <p>The file name of results in the folder is the id with anything but letters, digits and {@code .-_} replaced by
 * {@code _} (and a hash of the id appended when anything was replaced).
 *
 * <p>After {@link #execute}, the body is the result's JSON (or, for a message without a usable id, the raw bytes and
 * the {@link #DEAD_LETTER} header with the reason) and the headers say the command id, status and whether it is a
 * redelivery's answer.
 */
public class CommandExecutor extends ServiceSupport {

    public static final String ID = "CamelPbxCommandId";
    public static final String STATUS = "CamelPbxCommandStatus";
    /** True on the answer to a command already answered before: its result is published again, not its event. */
    public static final String DUPLICATE = "CamelPbxCommandDuplicate";
    /** The reason a message is a dead letter (no usable id); the body is then the message's raw bytes. */
    public static final String DEAD_LETTER = "CamelPbxCommandDeadLetter";
    /** A file name for the result: the id with anything but letters, digits, {@code .-_} replaced. */
    public static final String FILE_NAME = "CamelPbxCommandFileName";
    /** Exchange property: the {@link CommandResult}, for the event stream. */
    public static final String RESULT = "PbxCommandResult";

    private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);
    private static final ObjectWriter CANONICAL = Json.MAPPER.writer()
            .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final CamelContext context;
    private final CommandParser parser;
    private final CommandTargets targets;
    private final CommandLedger ledger;
    private final String instance;
    private final String owner;
    private final Map<String, CompletableFuture<Outcome>> inflight = new ConcurrentHashMap<>();
    private Clock clock = Clock.systemUTC();
    private Duration retryDelay = Duration.ofMillis(500);
    private Duration retryMaxDelay = Duration.ofSeconds(5);
    private Duration retryMaxDuration = Duration.ofSeconds(30);
    private Duration staleAfter = Duration.ofMinutes(5);
    private Duration heartbeat = Duration.ofSeconds(5);
    private Duration ownerTimeout = Duration.ofSeconds(30);
    private Duration storeRetryDelay = Duration.ofSeconds(1);
    private Duration retention = Duration.ofDays(30);
    private ProducerTemplate template;
    private MeterRegistry meters;
    private ScheduledExecutorService housekeeping;
    /** The heartbeat's last write failed: logged once until it works again. */
    private volatile boolean beatFailing;
    private CommandHealth health;

    /** What a command came to: the JSON published, the result, and whether it repeats an earlier answer. */
    record Outcome(String json, CommandResult result, boolean duplicate) {

        /** The same with the result's JSON (for answers that are not recorded). */
        Outcome withJson() {
            try {
                return new Outcome(Json.MAPPER.writeValueAsString(result), result, duplicate);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /**
     * @param instance this instance's stable name ({@code commands.instance}: by default host and folder), so that
     *                 after a restart its own unfinished claims are told from another live instance's
     */
    public CommandExecutor(CamelContext context, CommandParser parser, CommandTargets targets, CommandLedger ledger,
                           String instance) {
        this.context = context;
        this.parser = parser;
        this.targets = targets;
        this.ledger = ledger;
        this.instance = instance;
        this.owner = instance + "/" + UUID.randomUUID();
    }

    public void setRetry(Duration delay, Duration maxDelay, Duration maxDuration) {
        this.retryDelay = delay;
        this.retryMaxDelay = maxDelay;
        this.retryMaxDuration = maxDuration;
    }

    /** How long a claim of another instance may stay without a result before it is answered {@code unknown}. */
    public void setStaleAfter(Duration staleAfter) {
        this.staleAfter = staleAfter;
    }

    /**
     * This instance beats in the ledger every {@code heartbeat} while it runs; a claim of another instance whose owner
     * stopped, or has not beaten for {@code ownerTimeout}, is answered {@code unknown} without waiting for
     * {@link #setStaleAfter staleAfter}: its owner will never record a result.
     */
    public void setOwnerLiveness(Duration heartbeat, Duration ownerTimeout) {
        this.heartbeat = heartbeat;
        this.ownerTimeout = ownerTimeout;
    }

    /** How long a recorded command is remembered ({@code commands.retention}); pruned every hour. */
    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    void setClock(Clock clock) {
        this.clock = clock;
    }

    public CommandLedger ledger() {
        return ledger;
    }

    /** The readiness check fed by this executor ({@code commands}). */
    public synchronized CommandHealth health() {
        if (health == null) {
            String budget = context.resolvePropertyPlaceholders("{{vendor.health.failing-budget:60s}}");
            health = new CommandHealth(ledger.describe(), io.pbxbridge.support.Durations.parse(budget));
        }
        return health;
    }

    @Override
    protected void doStart() {
        template = context.createProducerTemplate();
        meters = PbxMetrics.registry(context);
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null) {
            checks.register(health());
        }
        // two threads: a long prune does not hold up the heartbeat
        housekeeping = context.getExecutorServiceManager().newScheduledThreadPool(this, "command-ledger", 2);
        housekeeping.scheduleWithFixedDelay(this::beat, 0, heartbeat.toMillis(), TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::prune, 1, 60, TimeUnit.MINUTES);
    }

    /** Tells the other instances this one is alive; a ledger that is down is tried again at the next beat. */
    void beat() {
        try {
            ledger.heartbeat(owner, clock.instant());
            if (beatFailing) {
                beatFailing = false;
                LOG.info("Command ledger: this instance's heartbeat is recorded again in {}", ledger.describe());
            }
        } catch (Exception e) {
            if (!beatFailing) {
                beatFailing = true;
                LOG.warn("Command ledger: this instance's heartbeat was not recorded in {} ({}); tried again every {}"
                        + " s. Without it for {} s, the other instances answer its unfinished commands unknown",
                        ledger.describe(), VendorFailures.rootMessage(e), heartbeat.toSeconds(),
                        ownerTimeout.toSeconds());
            }
        }
    }

    /** Forgets what is older than the retention; a ledger that is down is tried again at the next round. */
    void prune() {
        try {
            int n = ledger.pruneFinishedBefore(clock.instant().minus(retention));
            if (n > 0) {
                LOG.info("Command ledger: {} commands answered more than {} ago forgotten", n, retention);
            }
        } catch (Exception e) {
            LOG.warn("Command ledger not pruned ({}): {}", ledger.describe(), VendorFailures.rootMessage(e));
        }
    }

    @Override
    protected void doStop() throws Exception {
        if (housekeeping != null) {
            context.getExecutorServiceManager().shutdownNow(housekeeping);
            // a beat under way would otherwise write "alive" after the stop below
            context.getExecutorServiceManager().awaitTermination(housekeeping, 5000);
        }
        if (inflight.isEmpty()) {
            // none of this owner's claims will get a result now: the others need not wait for its silence
            try {
                ledger.stopped(owner, clock.instant());
            } catch (Exception e) {
                LOG.warn("Command ledger: this instance's stop was not recorded in {} ({}); the other instances answer"
                        + " its unfinished commands after {} s", ledger.describe(), VendorFailures.rootMessage(e),
                        ownerTimeout.toSeconds());
            }
        }
        HealthCheckRegistry checks = HealthCheckRegistry.get(context);
        if (checks != null && health != null) {
            checks.unregister(health);
        }
        if (template != null) {
            template.stop();
        }
    }

    /**
     * Camel step: the message (bytes or text) becomes the result's JSON, with its headers.
     *
     * @throws Exception the ledger cannot be reached: nothing was executed; the message must be delivered again
     */
    public void execute(Exchange exchange) throws Exception {
        Instant received = clock.instant();
        Message in = exchange.getIn();
        byte[] raw = in.getBody(byte[].class);
        if (raw == null) {
            raw = new byte[0];
        }
        Command command;
        try {
            command = parser.parse(raw);
        } catch (CommandParser.Unreadable e) {
            deadLetter(in, raw, e.getMessage());
            return;
        } catch (CommandParser.Rejected e) {
            answer(exchange, unexecuted(e.partial(), CommandStatus.REJECTED, e.getMessage(), received));
            return;
        }
        Target target;
        VerbCall call;
        try {
            target = targets.resolve(command);
            call = target.verbs().map(command);
        } catch (CommandRejectedException e) {
            answer(exchange, unexecuted(command, e.status(), e.getMessage(), received));
            return;
        }
        try {
            answer(exchange, run(command, target, call, received));
        } catch (CommandParser.Unreadable e) {
            deadLetter(in, raw, e.getMessage());
        }
    }

    private void deadLetter(Message in, byte[] raw, String reason) {
        LOG.warn("Command dead-lettered ({} bytes): {}", raw.length, reason);
        count("dead-letter");
        in.setHeader(DEAD_LETTER, reason);
        in.setBody(raw);
    }

    /** Camel step after the result is published: commits the Kafka offset of a command read from Kafka. */
    public void commitOffset(Exchange exchange) {
        org.apache.camel.component.kafka.consumer.KafkaManualCommit commit = exchange.getIn().getHeader(
                org.apache.camel.component.kafka.KafkaConstants.MANUAL_COMMIT,
                org.apache.camel.component.kafka.consumer.KafkaManualCommit.class);
        if (commit != null) {
            commit.commit();
        }
    }

    private Outcome run(Command command, Target target, VerbCall call, Instant received) throws Exception {
        String fingerprint = fingerprint(command);
        // keyed by what it asks too: another command reusing the id is not this one's duplicate
        String key = command.id() + "\n" + fingerprint;
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> running = inflight.putIfAbsent(key, mine);
        if (running != null) {
            // the same id under way on another thread of this instance: its answer is this one's
            Outcome o = await(running);
            return new Outcome(o.json(), o.result(), true);
        }
        try {
            Outcome o = claimAndExecute(command, fingerprint, target, call, received);
            mine.complete(o);
            return o;
        } catch (Throwable t) {
            mine.completeExceptionally(t);
            throw t;
        } finally {
            inflight.remove(key, mine);
        }
    }

    private Outcome await(CompletableFuture<Outcome> running) throws Exception {
        try {
            return running.get(staleAfter.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        }
    }

    private Outcome claimAndExecute(Command command, String fingerprint, Target target, VerbCall call,
                                    Instant received) throws Exception {
        Optional<Entry> existing;
        try {
            existing = ledger.claim(command.id(), fingerprint, owner, clock.instant());
            health().ledgerWorks();
        } catch (Exception e) {
            health().ledgerFailed(e);
            throw e;
        }
        if (existing.isPresent()) {
            return recorded(command, call, existing.get(), fingerprint, received);
        }
        CommandResult result;
        if (command.notAfter() != null && received.isAfter(command.notAfter())) {
            result = unexecuted(command, CommandStatus.EXPIRED, "arrived after its notAfter (" + command.notAfter()
                    + ")", received).result();
        } else {
            result = invoke(command, target, call, received);
        }
        return finish(result);
    }

    /**
     * Records the result; retried until the ledger takes it (the result is only in memory until then). A result
     * recorded first by another instance stands: a command has one answer, however many instances gave one.
     */
    private Outcome finish(CommandResult result) throws Exception {
        String json = Json.MAPPER.writeValueAsString(result);
        for (int attempt = 1;; attempt++) {
            try {
                Optional<Entry> earlier = ledger.finish(result.id(), json, clock.instant());
                health().ledgerWorks();
                if (earlier.isEmpty() || earlier.get().result().equals(json)) { // or an earlier attempt's, committed
                    return new Outcome(json, result, false);
                }
                CommandResult first = Json.MAPPER.readValue(earlier.get().result(), CommandResult.class);
                LOG.warn("Command {}: this instance's answer {} is not recorded: it was answered {} at {}, which "
                        + "stands, as a command has one answer (see the README, \"Commands whose outcome is unknown\")",
                        result.id(), result.status().wire(), first.status().wire(), earlier.get().finishedAt());
                return new Outcome(earlier.get().result(), first, true);
            } catch (Exception e) {
                health().ledgerFailed(e);
                if (!isRunAllowed()) {
                    throw e; // stopping: the claim stays RUNNING, answered unknown after the restart
                }
                LOG.warn("Command {}: result {} not recorded in {} ({}); attempt {}, again in {} ms", result.id(),
                        result.status().wire(), ledger.describe(), VendorFailures.rootMessage(e), attempt,
                        storeRetryDelay.toMillis());
                Thread.sleep(storeRetryDelay.toMillis());
            }
        }
    }

    /**
     * The answer for an id already claimed: its result, or what is known of an execution without one. Another
     * command under a used id cannot be answered under it (its answer would replace the first one's, on a compacted
     * result topic as in the results folder): it is a dead letter.
     */
    private Outcome recorded(Command command, VerbCall call, Entry entry, String fingerprint, Instant received)
            throws Exception {
        if (!entry.fingerprint().equals(fingerprint)) {
            throw new CommandParser.Unreadable("id '" + command.id() + "' was used by another command (claimed "
                    + entry.claimedAt() + "), whose answer it would replace: a new command needs a new id");
        }
        Entry e = entry;
        String gone = null;
        if (e.state() == State.RUNNING && !sameInstance(e.owner())) {
            // another instance is executing it (or died doing so): wait for its result while it lives, within reason
            while (e.state() == State.RUNNING && clock.instant().isBefore(e.claimedAt().plus(staleAfter))
                    && (gone = gone(e.owner())) == null) {
                Thread.sleep(200);
                e = ledger.find(command.id()).orElse(e);
            }
        }
        if (e.state() == State.DONE) {
            LOG.info("Command {} ({} on {}) was answered before: its recorded result again", command.id(),
                    command.verb(), command.target());
            count("duplicate");
            return new Outcome(e.result(), Json.MAPPER.readValue(e.result(), CommandResult.class), true);
        }
        String who = sameInstance(e.owner()) ? "this instance stopped or crashed"
                : "instance " + e.owner().substring(0, Math.max(0, e.owner().lastIndexOf('/')))
                        + (gone != null ? " " + gone : " gave no result within " + staleAfter.toSeconds() + " s");
        CommandResult unknown = new CommandResult(command.id(), CommandStatus.UNKNOWN, command.source(),
                command.target(), command.verb(), call.operation().name(), command.callId(), null, null, null,
                "its execution started at " + e.claimedAt() + " and " + who + " before its result was recorded: "
                        + "it may or may not have been carried out, and is not executed again (see the README, "
                        + "\"Commands whose outcome is unknown\")", false, 0, received, e.claimedAt(),
                clock.instant(), millis(received));
        return finish(unknown);
    }

    /**
     * How the owner of a claim is known to be gone ("stopped", or "gave no sign of life for N s"), or null while it
     * may be alive (its heartbeat is recent, or it never beat: an instance of a version without heartbeats).
     */
    private String gone(String claimOwner) throws Exception {
        Optional<CommandLedger.Liveness> life = ledger.liveness(claimOwner);
        if (life.isEmpty()) {
            return null;
        }
        if (life.get().stoppedAt() != null) {
            return "stopped at " + life.get().stoppedAt();
        }
        Duration silence = Duration.between(life.get().lastBeat(), clock.instant());
        return silence.compareTo(ownerTimeout) > 0 ? "gave no sign of life for " + silence.toSeconds() + " s" : null;
    }

    private boolean sameInstance(String claimOwner) {
        int slash = claimOwner.lastIndexOf('/');
        return slash > 0 && claimOwner.substring(0, slash).equals(instance);
    }

    /** Calls the vendor: once, or again after transient failures when the command is safe to repeat. */
    private CommandResult invoke(Command command, Target target, VerbCall call, Instant received) {
        String uri = target.uri(call.operation().name());
        Instant deadline = received.plus(retryMaxDuration);
        if (command.notAfter() != null && command.notAfter().isBefore(deadline)) {
            deadline = command.notAfter();
        }
        Instant started = clock.instant();
        long delay = retryDelay.toMillis();
        for (int attempt = 1;; attempt++) {
            Exchange sent = template.send(uri, ex -> {
                Message m = ex.getIn();
                for (OperationInput input : call.operation().inputs()) {
                    Object v = call.inputs().get(input.name());
                    if (v != null) {
                        m.setHeader(input.header(VendorEndpoint.headerPrefix(target.verbs().vendor())), v);
                    }
                }
                m.setBody(call.body());
            });
            Throwable failure = sent.getException();
            if (failure == null) {
                JsonNode result = Json.MAPPER.valueToTree(sent.getMessage().getBody());
                return result(command, call, CommandStatus.OK, result, null, null, null, false, attempt, received,
                        started);
            }
            VendorException vendor = vendorException(failure);
            if (vendor != null && vendor.getKind() == VendorException.Kind.INVALID_REQUEST) {
                // refused by the component before anything was sent: that attempt made no request
                return result(command, call, CommandStatus.REJECTED, null, null, null, vendor.getMessage(), false,
                        attempt - 1, received, started);
            }
            boolean retryable = VendorFailures.isTransient(failure);
            String why = VendorFailures.rootMessage(failure);
            if (retryable && call.repeat() == Repeat.SAFE) {
                if (clock.instant().plusMillis(delay).isBefore(deadline) && isRunAllowed()) {
                    LOG.info("Command {}: {} failed ({}); attempt {}, again in {} ms", command.id(), uri, why,
                            attempt, delay);
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    delay = Math.min(delay * 2, retryMaxDelay.toMillis());
                    continue;
                }
                if (command.notAfter() != null && !clock.instant().plusMillis(delay).isBefore(command.notAfter())) {
                    return result(command, call, CommandStatus.EXPIRED, null, code(vendor), vendorMessage(vendor),
                            "not carried out before its notAfter (" + command.notAfter() + "): " + attempt
                                    + " attempt(s), the last failed: " + why, true, attempt, received, started);
                }
            }
            // the components turn every failure of a request they sent into a VendorException: anything else
            // (an endpoint that cannot be made, a full pool) failed before a request was sent
            if (call.repeat() == Repeat.ONCE && vendor != null && !vendor.provesNotExecuted()) {
                return result(command, call, CommandStatus.UNKNOWN, null, code(vendor), vendorMessage(vendor),
                        "the request was sent but its outcome is not known (" + why + "): it may have been carried "
                                + "out, and is not sent again", retryable, attempt, received, started);
            }
            return result(command, call, CommandStatus.FAILED, null, code(vendor), vendorMessage(vendor), why,
                    retryable, attempt, received, started);
        }
    }

    private CommandResult result(Command c, VerbCall call, CommandStatus status, JsonNode result, String code,
                                 String vendorMessage, String message, boolean retryable, int attempts,
                                 Instant received, Instant started) {
        return new CommandResult(c.id(), status, c.source(), c.target(), c.verb(), call.operation().name(),
                c.callId(), result, code, vendorMessage, message, retryable, attempts, received, started,
                clock.instant(), millis(received));
    }

    private Outcome unexecuted(Command c, CommandStatus status, String message, Instant received) {
        CommandResult r = new CommandResult(c.id(), status, c.source(), c.target(), c.verb(), null, c.callId(), null,
                null, null, message, false, 0, received, null, clock.instant(), millis(received));
        return new Outcome(null, r, false).withJson();
    }

    private long millis(Instant since) {
        return Duration.between(since, clock.instant()).toMillis();
    }

    private static VendorException vendorException(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VendorException v) {
                return v;
            }
        }
        return null;
    }

    private static String code(VendorException v) {
        return v != null ? v.getCode() : null;
    }

    private static String vendorMessage(VendorException v) {
        return v != null ? v.getVendorMessage() : null;
    }

    private void answer(Exchange exchange, Outcome outcome) {
        Message in = exchange.getIn();
        CommandResult r = outcome.result();
        in.setHeader(ID, r.id());
        in.setHeader(STATUS, r.status().wire());
        in.setHeader(DUPLICATE, outcome.duplicate());
        in.setHeader(FILE_NAME, fileName(r.id()));
        exchange.setProperty(RESULT, r);
        in.setBody(outcome.json());
        health().answered(r, outcome.duplicate());
        if (!outcome.duplicate()) {
            log(r);
        }
        count(r.status().wire());
    }

    private void log(CommandResult r) {
        String what = "Command " + r.id() + (r.verb() != null ? " (" + r.verb() + " on " + r.target()
                + (r.operation() != null ? ", " + r.operation() : "") + ")" : "") + ": " + r.status().wire() + " in "
                + r.durationMillis() + " ms" + (r.message() != null ? ": " + r.message() : "");
        if (r.status() == CommandStatus.OK) {
            LOG.info(what);
        } else {
            LOG.warn(what);
        }
    }

    private void count(String outcome) {
        if (meters != null) {
            meters.counter("pbx_commands_total", "outcome", outcome).increment();
        }
    }

    /** What the command asks, canonical: a redelivery has the same, another command reusing the id most likely not. */
    static String fingerprint(Command c) {
        try {
            byte[] canonical = CANONICAL.writeValueAsBytes(List.of(c.target(), c.verb(), c.params(),
                    c.callId() == null ? "" : c.callId()));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical), 0, 16);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The result's file name: the id with anything but letters, digits and {@code .-_} replaced. */
    public static String fileName(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.startsWith(".")) {
            safe = "_" + safe.substring(1);
        }
        if (safe.equals(id) && safe.length() <= 120) {
            return safe + ".json";
        }
        // two ids that read alike once replaced (a/b and a:b) keep files of their own
        String hash = Integer.toHexString(id.hashCode() & 0x7fffffff);
        return (safe.length() > 120 ? safe.substring(0, 120) : safe) + "-" + hash + ".json";
    }
}
