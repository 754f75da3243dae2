package io.pbxbridge.cdr.sink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.cdr.CdrConstants;
import io.pbxbridge.cdr.FileHarvestCheckpoints;
import io.pbxbridge.cdr.HarvestCheckpoint;
import io.pbxbridge.cdr.HarvestCheckpoints;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.support.AtomicFiles;

/**
 * The CSV sink of the CDR harvest: appends each batch of a {@code cdr} consumer to one file per source and UTC day of
 * the calls' start, {@code <folder>/<source>/<yyyy-MM-dd>.csv} ({@link CsvCallRecordFormat}), for a route step
 * {@code bean: ref: cdrCsvSink}.
 *
 * <p>Never half a record, never one twice, even after {@code kill -9}: a batch's lines for one file are one write,
 * and before a run first appends to a file its length is kept in the source's {@link CsvUndoJournal}. The run's last
 * batch ({@link Exchange#BATCH_COMPLETE}) forces every file the run appended to before it returns, so before the
 * run's checkpoint can move: a crash of the machine can take unforced lines only from a run that has not committed,
 * which is cut away whole (forcing each batch cost a disk flush per thousand records). The harvest sends the records
 * of a run that did not commit again, so a run is cut away when its journal outlives it: at start (unless several
 * instances share the folder), and at the first batch of each run, a journal of a run later than the source's last
 * committed one ({@link HarvestCheckpoints}) is undone, one of a committed run dropped. A backfill sends records again
 * on purpose: those whose key is in their day's file already are skipped.
 *
 * <p>The first batch of a run is the consumer's batch number 0 ({@link Exchange#BATCH_INDEX}), or one of another run
 * number: a run retried after a failure has the same number. So the batches must reach this step as the consumer
 * emits them (not split). A batch that is delivered again in one exchange (a redelivery after a later step failed)
 * is written once.
 */
public class CsvCallRecordSink {

    public static final String DEFAULT_FOLDER = "data/cdr";

    private static final Logger LOG = LoggerFactory.getLogger(CsvCallRecordSink.class);

    private final Path folder;
    private final HarvestCheckpoints checkpoints;
    private final Map<String, SourceFiles> sources = new ConcurrentHashMap<>();

    /**
     * Undoes what runs that did not commit left in {@code folder}, then is ready.
     *
     * @param folder      the files' folder, e.g. {@value #DEFAULT_FOLDER}
     * @param checkpoints the harvest's checkpoints: which run of a source committed last
     */
    public CsvCallRecordSink(Path folder, HarvestCheckpoints checkpoints) throws Exception {
        this(folder, checkpoints, true);
    }

    /**
     * @param settleNow whether to undo now what runs that did not commit left, or only at each source's next run.
     *                  Not when several instances share the folder: the journal of a run that has not committed yet
     *                  may be the run another instance is harvesting at this moment, whose lines would be cut from
     *                  under it (and never sent again). Only the harvester of a source settles its journal then.
     */
    public CsvCallRecordSink(Path folder, HarvestCheckpoints checkpoints, boolean settleNow) throws Exception {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
        if (settleNow && Files.isDirectory(folder)) {
            try (DirectoryStream<Path> sourceFolders = Files.newDirectoryStream(folder, Files::isDirectory)) {
                for (Path sourceFolder : sourceFolders) {
                    CsvUndoJournal journal = CsvUndoJournal.load(sourceFolder);
                    if (journal != null) {
                        try {
                            settle(journal);
                        } catch (Exception e) {
                            // the checkpoints' store (a database) may be down at start: the source's next run
                            // settles the journal before it writes anything
                            LOG.warn("The undo journal of {} is settled at its next run: {}", sourceFolder,
                                    e.getMessage());
                        }
                    }
                }
            }
        }
    }

    /** Appends a batch: body {@code List<CallRecord>}, headers {@link CdrConstants#SOURCE}, RUN and BACKFILL. */
    public void write(Exchange exchange) throws Exception {
        Message in = exchange.getMessage();
        String source = in.getHeader(CdrConstants.SOURCE, String.class);
        Long run = in.getHeader(CdrConstants.RUN, Long.class);
        if (source == null || source.isBlank() || run == null) {
            throw new IllegalArgumentException("The call-record CSV sink takes the batches of a cdr consumer, with the"
                    + " headers " + CdrConstants.SOURCE + " and " + CdrConstants.RUN + "; exchange "
                    + exchange.getExchangeId() + " has " + CdrConstants.SOURCE + "=" + source + ", "
                    + CdrConstants.RUN + "=" + in.getHeader(CdrConstants.RUN));
        }
        List<CallRecord> records = records(in.getBody(), source, run);
        boolean backfill = Boolean.TRUE.equals(in.getHeader(CdrConstants.BACKFILL, Boolean.class));
        SourceFiles files = sources.computeIfAbsent(source, s -> new SourceFiles(s, folderOf(s)));
        synchronized (files) {
            if (exchange.getExchangeId().equals(files.lastExchange)) {
                LOG.debug("Batch {} of run {} of {} is in the CSV files already", exchange.getExchangeId(), run,
                        source);
                return;
            }
            Integer index = exchange.getProperty(Exchange.BATCH_INDEX, Integer.class);
            if (run != files.run || index != null && index == 0) {
                beginRun(files, run);
            } else if (files.broken) {
                throw new IllegalStateException("Run " + run + " of " + source + " cannot go on in the call-record CSV"
                        + " files: a batch failed half-written and could not be cut; the next run cuts the whole run");
            }
            append(files, records, backfill);
            Boolean last = exchange.getProperty(Exchange.BATCH_COMPLETE, Boolean.class);
            if (last == null || last) { // the run's last batch, or one not from a batch consumer
                force(files);
            }
            files.lastExchange = exchange.getExchangeId();
            if (Boolean.TRUE.equals(last)) {
                files.knownKeys.clear();
            }
        }
    }

    private Path folderOf(String source) {
        return folder.resolve(FileHarvestCheckpoints.fileName(source));
    }

    @SuppressWarnings("unchecked")
    private static List<CallRecord> records(Object body, String source, long run) {
        if (!(body instanceof List<?> list)) {
            throw new IllegalArgumentException("The call-record CSV sink takes a List<CallRecord> body; run " + run
                    + " of " + source + " brought " + (body == null ? "none" : "a " + body.getClass().getName()));
        }
        for (int i = 0; i < list.size(); i++) {
            Object o = list.get(i);
            if (!(o instanceof CallRecord r) || r.key() == null || r.start() == null) {
                throw new IllegalArgumentException("Record " + i + " of a batch of run " + run + " of " + source
                        + " is not a call record with a key and a start time, the CSV sink writes none of the batch: "
                        + (o instanceof CallRecord c ? "key " + c.key() + ", start " + c.start()
                                : o == null ? "null" : "a " + o.getClass().getName()));
            }
        }
        return (List<CallRecord>) list;
    }

    /** The first batch of a run: what an earlier run left uncommitted goes; the run starts with no journal. */
    private void beginRun(SourceFiles files, long run) throws Exception {
        CsvUndoJournal left = CsvUndoJournal.load(files.folder);
        if (left != null) {
            if (!left.source().equals(files.source)) {
                throw new IllegalStateException("The call-record CSV folder " + files.folder + " holds the files of "
                        + left.source() + ", not of " + files.source + ": two sources have one file name; give the"
                        + " sink another folder for one of them");
            }
            settle(left);
        }
        files.run = run;
        files.journal = null;
        files.knownKeys.clear();
        files.lastExchange = null;
        files.broken = false;
        files.unforced.clear(); // an earlier run's, cut away above or forced by its last batch
    }

    /**
     * Undoes the journal's run if it did not commit, or drops the journal of one that did. A run is numbered one more
     * than the last committed run when it starts, so a checkpoint further back than that was reset or restored since:
     * whether the run committed cannot be told, and its records stay (a reset harvests them again anyway).
     */
    private void settle(CsvUndoJournal journal) throws Exception {
        HarvestCheckpoint checkpoint = checkpoints.load(journal.source());
        long committed = checkpoint == null ? 0 : checkpoint.run();
        if (journal.run() == committed + 1) {
            journal.undo();
            return;
        }
        if (journal.run() > committed) {
            LOG.warn("The checkpoint of {} is at run {}, before run {} that appended to the call-record CSV files of"
                    + " {}: it was reset or restored; that run's records stay", journal.source(), committed,
                    journal.run(), folderOf(journal.source()));
        }
        journal.delete();
    }

    private void append(SourceFiles files, List<CallRecord> records, boolean backfill) throws IOException {
        Map<Long, DayText> days = new TreeMap<>();
        for (CallRecord r : records) {
            long day = CsvCallRecordFormat.day(r.start());
            DayText text = days.get(day);
            if (text == null) {
                text = new DayText(CsvCallRecordFormat.fileName(day));
                days.put(day, text);
                open(files, text.name, backfill);
            }
            if (backfill && !files.knownKeys.get(text.name).add(r.key())) {
                continue; // a backfill sends again what the file has
            }
            CsvCallRecordFormat.append(text.lines, r);
        }
        if (files.journal != null) {
            files.journal.saveIfChanged();
        }
        appendLines(files, days);
    }

    /**
     * A day file's first batch in this run: its length goes into the journal (a torn tail cut first); for a backfill
     * its keys are read.
     */
    private static void open(SourceFiles files, String name, boolean backfill) throws IOException {
        boolean journaled = files.journal != null && files.journal.covers(name);
        boolean readKeys = backfill && !files.knownKeys.containsKey(name);
        if (journaled && !readKeys) {
            return;
        }
        Set<String> keys = null;
        if (readKeys) {
            keys = new HashSet<>();
            files.knownKeys.put(name, keys);
        }
        if (!Files.isDirectory(files.folder)) {
            Files.createDirectories(files.folder);
            AtomicFiles.forceDirectory(files.folder.toAbsolutePath().getParent());
        }
        long length = CsvDayFile.open(files.folder.resolve(name), keys == null ? null : keys::add);
        if (journaled) {
            return;
        }
        if (files.journal == null) {
            files.journal = CsvUndoJournal.begin(files.folder, files.source, files.run);
        }
        files.journal.add(name, length);
    }

    /** Each day's lines in one write; a failed batch is cut back, or the run cannot go on. */
    private static void appendLines(SourceFiles files, Map<Long, DayText> days) throws IOException {
        Map<Path, Long> before = new HashMap<>();
        boolean created = false;
        try {
            for (DayText day : days.values()) {
                if (day.lines.isEmpty()) {
                    continue;
                }
                Path file = files.folder.resolve(day.name);
                try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND)) {
                    long size = ch.size();
                    before.put(file, size);
                    created |= size == 0;
                    ByteBuffer[] data = { ByteBuffer.wrap(size == 0 ? CsvCallRecordFormat.HEADER : new byte[0]),
                            ByteBuffer.wrap(day.lines.toString().getBytes(StandardCharsets.UTF_8)) };
                    while (data[1].hasRemaining()) {
                        ch.write(data);
                    }
                }
                files.unforced.add(file);
            }
            if (created) {
                AtomicFiles.forceDirectory(files.folder);
            }
        } catch (IOException e) {
            cutBack(files, before);
            throw new IOException("The call-record CSV files of " + files.source + " in " + files.folder
                    + " could not take a batch of run " + files.run + ": " + e.getMessage(), e);
        }
    }

    /** Forces the files the run appended to since the last time; if one cannot be, the run cannot go on. */
    private static void force(SourceFiles files) throws IOException {
        for (Path file : files.unforced) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            } catch (IOException e) {
                files.broken = true; // its lines are in: the next run cuts the whole run
                throw new IOException("The call-record CSV " + file + " of run " + files.run + " of " + files.source
                        + " could not be forced to disk: " + e.getMessage(), e);
            }
        }
        files.unforced.clear();
    }

    private static void cutBack(SourceFiles files, Map<Path, Long> before) {
        try {
            for (Map.Entry<Path, Long> e : before.entrySet()) {
                try (FileChannel ch = FileChannel.open(e.getKey(), StandardOpenOption.WRITE)) {
                    ch.truncate(e.getValue());
                    ch.force(true);
                }
            }
        } catch (IOException | RuntimeException e) {
            files.broken = true;
            LOG.warn("A failed batch of run {} of {} could not be cut from the call-record CSV files ({}); the next"
                    + " run cuts the whole run", files.run, files.source, e.getMessage());
        }
    }

    /** The lines of one day file in one batch. */
    private static final class DayText {
        final String name;
        final StringBuilder lines = new StringBuilder(8192);

        DayText(String name) {
            this.name = name;
        }
    }

    /** What the sink knows of one source's folder during a run. */
    private static final class SourceFiles {
        final String source;
        final Path folder;
        long run = -1;
        CsvUndoJournal journal;
        /** Backfill only: the keys of the day files it appends to, for this run. */
        final Map<String, Set<String>> knownKeys = new HashMap<>();
        /** The day files appended to since they were last forced to disk. */
        final Set<Path> unforced = new HashSet<>();
        String lastExchange;
        boolean broken;

        SourceFiles(String source, Path folder) {
            this.source = source;
            this.folder = folder;
        }
    }
}
