package io.pbxbridge.command;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.support.AtomicFiles;
import io.pbxbridge.support.Json;
import io.pbxbridge.support.LogSafe;

/**
 * The command ledger as JSON files in one folder, one per command id, for the sandbox and single hosts: claims and
 * answers are atomic across the threads and the processes of one host (not across hosts sharing a network file
 * system).
 *
 * <p>A file is named by the id, its characters that are not safe in a file name replaced by {@code _} and cut to
 * {@value #MAX_NAME_CHARS} characters, followed by a hash of the whole id ({@code a_b_c-5f2c0e1d9a7b3c44.json}), so
 * that two ids that read alike once made safe never share a file. It holds the {@link Entry} as JSON, its times as
 * ISO-8601 and its result as a JSON string (the document kept exactly).
 *
 * <p>A claim writes the entry to a temporary file, forces it to disk, then hard-links it under the command's name:
 * the link is created whole or not at all, and fails when the name is taken, which is the claim lost. So a file under
 * a command's name is always complete. A result is linked the same way as the command's answer file
 * ({@code <name>.answer}): of two processes answering one claim at once, one link fails and that one is told the
 * answer linked, so a command has one answer. The winner then replaces the command's file with it by write-and-rename
 * ({@link AtomicFiles}) and deletes the answer file; until then (or for ever, after a crash in between) the answer
 * file is the command's entry.
 * Temporary files ({@code .*.tmp}) left by a crash are ignored, and deleted when an hour old by the next ledger on
 * the folder.
 *
 * <p>The owners' heartbeats are in the subfolder {@code owners/}, a file per owner named as a command's file is
 * ({@code {"owner": ..., "lastBeat": ..., "stoppedAt": ...}}), replaced by write-and-rename at each beat.
 */
public class FileCommandLedger implements CommandLedger {

    /** How much of a sanitized id names its file; the hash tells longer ones apart. */
    static final int MAX_NAME_CHARS = 64;
    /** A temporary file this old is left by a crash, not being written. */
    static final Duration STALE_TEMP = Duration.ofHours(1);

    private static final Logger LOG = LoggerFactory.getLogger(FileCommandLedger.class);
    private static final String SUFFIX = ".json";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final int HASH_BYTES = 8;

    private final Path directory;
    private final Path owners;

    /** An owner's file in {@code owners/}. */
    record OwnerFile(String owner, Instant lastBeat, Instant stoppedAt) {
    }

    /** Creates the folder if missing and deletes the temporary files a crash left there. */
    public FileCommandLedger(Path directory) throws IOException {
        this.directory = directory.toAbsolutePath();
        this.owners = this.directory.resolve("owners");
        Files.createDirectories(owners);
        deleteStaleTemporaryFiles();
    }

    public Path directory() {
        return directory;
    }

    /** The file of {@code id}. */
    public Path file(String id) {
        return directory.resolve(fileName(id));
    }

    /** {@code <sanitized id, at most 64 chars>-<16 hex digits of its SHA-256>.json}. */
    static String fileName(String id) {
        String safe = FileHarvestCheckpoints.fileName(id);
        if (safe.length() > MAX_NAME_CHARS) {
            safe = safe.substring(0, MAX_NAME_CHARS);
        }
        return safe + "-" + hash(id) + SUFFIX;
    }

    @Override
    public Optional<Entry> claim(String id, String fingerprint, String owner, Instant at) throws IOException {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(at, "at");
        Path target = file(id);
        Optional<Entry> known = read(target, id); // a redelivery: no temporary file written and forced to learn it
        if (known.isPresent()) {
            return known;
        }
        byte[] json = Json.MAPPER.writeValueAsBytes(new Entry(id, fingerprint, owner, at, State.RUNNING, null, null));
        while (true) {
            if (!linkNew(target, json)) {
                Optional<Entry> recorded = read(target, id);
                if (recorded.isPresent()) {
                    return recorded;
                }
                continue; // pruned between the link and the read (a DONE command past retention): claim it again
            }
            try {
                AtomicFiles.forceDirectory(directory); // the link survives a power cut
            } catch (IOException e) {
                // not known to be durable: undone, so that the caller, told nothing was claimed, may claim again
                Files.deleteIfExists(target);
                throw e;
            }
            return Optional.empty();
        }
    }

    /**
     * Links the answer file (see the class comment); a link that fails is an answer that came first, which the next
     * read returns.
     *
     * @throws IllegalStateException {@code id} was never claimed (or its file was pruned): a programming error
     */
    @Override
    public Optional<Entry> finish(String id, String result, Instant at) throws IOException {
        Objects.requireNonNull(at, "at");
        Path target = file(id);
        Path answer = answerFile(target);
        while (true) {
            Entry claimed = read(target, id).orElseThrow(() -> new IllegalStateException("the command "
                    + LogSafe.text(id) + " is not in " + directory + ": it was never claimed, so it has no result to "
                    + "record"));
            if (claimed.state() == State.DONE) {
                return Optional.of(claimed);
            }
            byte[] json = Json.MAPPER.writeValueAsBytes(new Entry(id, claimed.fingerprint(), claimed.owner(),
                    claimed.claimedAt(), State.DONE, result, at));
            if (!linkNew(answer, json)) {
                if (read(target, id).map(Entry::state).orElse(State.DONE) == State.RUNNING) {
                    // not this claim's answer: one left by an earlier claim of the id (its file deleted by hand)
                    Files.deleteIfExists(answer);
                }
                continue;
            }
            // linked: the answer, unless another was filed (and its answer file deleted) since the read above
            Entry filed = readCommandFile(target, id).orElseThrow();
            if (filed.state() == State.DONE) {
                Files.deleteIfExists(answer);
                return Optional.of(filed);
            }
            replace(target, json, true);
            Files.deleteIfExists(answer);
            return Optional.empty();
        }
    }

    /** @throws IOException the file cannot be read or is not an entry of {@code id} (named in the message) */
    @Override
    public Optional<Entry> find(String id) throws IOException {
        return read(file(id), id);
    }

    @Override
    public void heartbeat(String owner, Instant at) throws IOException {
        writeOwner(new OwnerFile(owner, at, null));
    }

    @Override
    public void stopped(String owner, Instant at) throws IOException {
        writeOwner(new OwnerFile(owner, at, at));
    }

    /** @throws IOException the owner's file cannot be read or is another owner's (named in the message) */
    @Override
    public Optional<Liveness> liveness(String owner) throws IOException {
        Path f = owners.resolve(fileName(owner));
        byte[] json = readIfExists(f);
        if (json == null) {
            return Optional.empty();
        }
        OwnerFile read = parseOwner(json, f);
        if (!read.owner().equals(owner)) {
            throw new IOException("The command ledger file " + f + " holds the owner " + LogSafe.text(read.owner())
                    + ", not " + LogSafe.text(owner));
        }
        return Optional.of(new Liveness(read.lastBeat(), read.stoppedAt()));
    }

    /**
     * Deletes the files of the commands whose result was recorded before {@code cutoff} (retention): a redelivery
     * of one of them after that would run it again. RUNNING commands stay, however old, and so do files that cannot
     * be read (logged: {@link #find} names them too). The owners last heard of before it go too.
     *
     * @return how many commands were deleted
     */
    @Override
    public int pruneFinishedBefore(Instant cutoff) throws IOException {
        Objects.requireNonNull(cutoff, "cutoff");
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path f : files) {
                Entry entry;
                try {
                    entry = parse(Files.readAllBytes(f), f);
                } catch (NoSuchFileException e) {
                    continue;
                } catch (IOException e) {
                    LOG.warn("Command ledger: {} is not pruned: {}", f, LogSafe.text(e.getMessage(),
                            LogSafe.MAX_MESSAGE_CHARS));
                    continue;
                }
                if (entry.state() == State.DONE && entry.finishedAt() != null && entry.finishedAt().isBefore(cutoff)) {
                    Files.deleteIfExists(answerFile(f)); // first: never the answer of a command claimed again
                    if (Files.deleteIfExists(f)) {
                        deleted++;
                    }
                }
            }
        }
        if (deleted > 0) {
            AtomicFiles.forceDirectory(directory);
        }
        pruneOwnersBefore(cutoff);
        return deleted;
    }

    private void pruneOwnersBefore(Instant cutoff) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(owners, "*" + SUFFIX)) {
            for (Path f : files) {
                try {
                    OwnerFile o = parseOwner(Files.readAllBytes(f), f);
                    if ((o.stoppedAt() != null ? o.stoppedAt() : o.lastBeat()).isBefore(cutoff)) {
                        Files.deleteIfExists(f);
                    }
                } catch (NoSuchFileException e) {
                    // pruned by another ledger on the folder
                } catch (IOException e) {
                    LOG.warn("Command ledger: {} is not pruned: {}", f, LogSafe.text(e.getMessage(),
                            LogSafe.MAX_MESSAGE_CHARS));
                }
            }
        }
    }

    /** Not forced (see {@link CommandLedger#heartbeat}); a temporary file of its own: a beat and the stop may meet. */
    private void writeOwner(OwnerFile o) throws IOException {
        Objects.requireNonNull(o.owner(), "owner");
        Objects.requireNonNull(o.lastBeat(), "at");
        replace(owners.resolve(fileName(o.owner())), Json.MAPPER.writeValueAsBytes(o), false);
    }

    private static OwnerFile parseOwner(byte[] json, Path f) throws IOException {
        OwnerFile o = readJson(json, f, OwnerFile.class);
        if (o == null || o.owner() == null || o.lastBeat() == null) {
            throw new IOException("The command ledger file " + f + " cannot be read (\"owner\" or \"lastBeat\" is "
                    + "missing)");
        }
        return o;
    }

    @Override
    public String describe() {
        return "the command ledger in " + directory;
    }

    /** The command's entry: its file's, or its answer file's while that stands for it (see the class comment). */
    private Optional<Entry> read(Path f, String id) throws IOException {
        Optional<Entry> entry = readCommandFile(f, id);
        if (entry.isEmpty() || entry.get().state() == State.DONE) {
            return entry;
        }
        Path answerFile = answerFile(f);
        byte[] json = readIfExists(answerFile);
        if (json == null) {
            return entry;
        }
        Entry answer = parse(json, answerFile);
        // read again: an answer filed meanwhile is the one (a later link then is a loser's, about to be deleted)
        Optional<Entry> again = readCommandFile(f, id);
        if (again.isEmpty() || again.get().state() == State.DONE) {
            return again;
        }
        Entry claim = again.get();
        boolean ofThisClaim = answer.id().equals(id) && answer.owner().equals(claim.owner())
                && answer.claimedAt().equals(claim.claimedAt()) && answer.state() == State.DONE;
        return ofThisClaim ? Optional.of(answer) : again;
    }

    /** {@code <command file name without .json>.answer}: never listed as a command's file. */
    static Path answerFile(Path commandFile) {
        String name = commandFile.getFileName().toString();
        return commandFile.resolveSibling(name.substring(0, name.length() - SUFFIX.length()) + ".answer");
    }

    private Optional<Entry> readCommandFile(Path f, String id) throws IOException {
        byte[] json = readIfExists(f);
        if (json == null) {
            return Optional.empty();
        }
        Entry entry = parse(json, f);
        if (!entry.id().equals(id)) { // the hashes of two ids met: never another command's entry
            throw new IOException("The command ledger file " + f + " holds the command " + LogSafe.text(entry.id())
                    + ", not " + LogSafe.text(id));
        }
        return Optional.of(entry);
    }

    /** The file's bytes, or null when there is no such file. */
    private static byte[] readIfExists(Path f) throws IOException {
        try {
            return Files.readAllBytes(f);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static <T> T readJson(byte[] json, Path f, Class<T> type) throws IOException {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IOException("The command ledger file " + f + " cannot be read (" + Json.problem(e) + ")", e);
        }
    }

    private static Entry parse(byte[] json, Path f) throws IOException {
        Entry entry = readJson(json, f, Entry.class);
        String missing = entry == null ? "an entry"
                : entry.id() == null ? "\"id\""
                : entry.fingerprint() == null ? "\"fingerprint\""
                : entry.owner() == null ? "\"owner\""
                : entry.claimedAt() == null ? "\"claimedAt\""
                : entry.state() == null ? "\"state\""
                : entry.state() == State.DONE && entry.finishedAt() == null ? "\"finishedAt\""
                : null;
        if (missing != null) {
            throw new IOException("The command ledger file " + f + " cannot be read (" + missing + " is missing)");
        }
        return entry;
    }

    /** Links {@code json}, written to a temporary file and forced, as {@code name}: false when the name is taken. */
    private static boolean linkNew(Path name, byte[] json) throws IOException {
        Path tmp = writeTemporary(name, json);
        try {
            Files.createLink(name, tmp);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Replaces {@code target} by write-and-rename, through a temporary file no other writer uses. */
    private static void replace(Path target, byte[] json, boolean force) throws IOException {
        Path tmp = temporaryFile(target);
        try {
            AtomicFiles.write(target, json, force, tmp);
        } finally {
            Files.deleteIfExists(tmp); // gone after the rename; left only by a failure
        }
    }

    /** {@code json} in a new temporary sibling of {@code target}, forced to disk. */
    private static Path writeTemporary(Path target, byte[] json) throws IOException {
        Path tmp = temporaryFile(target);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(json);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    /** A name no other writer uses: {@code .<file>.<random>.tmp}. */
    private static Path temporaryFile(Path target) {
        return target.resolveSibling("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + TEMP_SUFFIX);
    }

    private void deleteStaleTemporaryFiles() throws IOException {
        Instant before = Instant.now().minus(STALE_TEMP);
        for (Path folder : List.of(directory, owners)) {
            try (DirectoryStream<Path> temps = Files.newDirectoryStream(folder, ".*" + TEMP_SUFFIX)) {
                for (Path tmp : temps) {
                    try {
                        if (Files.getLastModifiedTime(tmp).toInstant().isBefore(before)) {
                            Files.deleteIfExists(tmp);
                        }
                    } catch (NoSuchFileException e) {
                        // deleted by another ledger on the folder
                    }
                }
            }
        }
    }

    private static String hash(String id) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, HASH_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
