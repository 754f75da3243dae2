package io.pbxbridge.command;

import java.time.Instant;
import java.util.Optional;

/**
 * The record of every command that was handed to a vendor: the idempotency store that makes "executed at most once"
 * hold across redeliveries, restarts and instances. A command id is claimed (written durably, state
 * {@link State#RUNNING}) before the vendor is called, and its result recorded ({@link State#DONE}) after; a second
 * claim of the same id returns what is recorded instead. None of the vendor APIs takes an idempotency key, so this
 * is the only thing between a redelivered click-to-dial and a phone that rings twice.
 *
 * <p>Implementations: {@link JdbcCommandLedger} (PostgreSQL, shared by every instance) and {@link FileCommandLedger}
 * (one file per command, for the sandbox and single hosts). Both are safe for concurrent claims of one id, and for
 * concurrent answers of one claim, from many threads and processes (for files, of one host): exactly one wins.
 */
public interface CommandLedger {

    /** Where a recorded command stands. */
    enum State {
        /** Claimed: the vendor may have been called, no result recorded yet. */
        RUNNING,
        /** Its result is recorded. */
        DONE
    }

    /**
     * A recorded command.
     *
     * @param id          the command id
     * @param fingerprint what the command asked (target, verb, parameters), to tell a redelivery from another command
     *                    that reuses an id
     * @param owner       who claimed it: {@code <instance>/<boot>} (see {@link CommandExecutor})
     * @param claimedAt   when it was claimed
     * @param state       {@link State#RUNNING} or {@link State#DONE}
     * @param result      the recorded result (a JSON document) when DONE, else null
     * @param finishedAt  when the result was recorded, else null
     */
    record Entry(String id, String fingerprint, String owner, Instant claimedAt, State state, String result,
                 Instant finishedAt) {
    }

    /**
     * What the ledger knows of a claim owner's life (see {@link CommandExecutor}: each instance beats while it runs).
     *
     * @param lastBeat  its last heartbeat
     * @param stoppedAt when it stopped with nothing under way, else null
     */
    record Liveness(Instant lastBeat, Instant stoppedAt) {
    }

    /**
     * Claims {@code id} for execution. Durable before it returns: once it says the caller won, a crash of this
     * process leaves the entry RUNNING.
     *
     * @return empty when the caller won the claim (and must execute, then {@link #finish}); else the entry as
     *         recorded (RUNNING: someone else claimed it, possibly a process that died; DONE: its result)
     * @throws Exception the store cannot be reached or written: nothing was claimed, the command must not be executed
     */
    Optional<Entry> claim(String id, String fingerprint, String owner, Instant at) throws Exception;

    /**
     * Records the result of a claimed command (state DONE), unless one is recorded already: a command has one answer.
     * Durable before it returns.
     *
     * @return empty when {@code result} was recorded; else the entry with the result recorded before it, which
     *         stands (another instance took the claim's owner for gone and answered {@code unknown}, or the owner
     *         answered while another instance was giving up on it)
     */
    Optional<Entry> finish(String id, String result, Instant at) throws Exception;

    /** The entry of {@code id}, or empty. */
    Optional<Entry> find(String id) throws Exception;

    /**
     * Records that {@code owner} is alive at {@code at}: its claims without a result are still being carried out.
     * Not forced to disk: a heartbeat lost in a crash only makes the owner look dead sooner, which it is.
     */
    void heartbeat(String owner, Instant at) throws Exception;

    /**
     * Records that {@code owner} stopped at {@code at} with no command under way: none of its claims without a result
     * will get one from it.
     */
    void stopped(String owner, Instant at) throws Exception;

    /** What is known of {@code owner}'s life; empty for an owner that never beat (or was forgotten, see pruning). */
    Optional<Liveness> liveness(String owner) throws Exception;

    /**
     * Forgets the commands whose result was recorded before {@code cutoff} (retention: a redelivery older than that
     * would be executed again, so keep it longer than the command topic keeps its messages), and the owners last
     * heard of before it.
     *
     * @return how many were forgotten
     */
    int pruneFinishedBefore(Instant cutoff) throws Exception;

    /** Where the store is, for log lines (no password). */
    String describe();
}
