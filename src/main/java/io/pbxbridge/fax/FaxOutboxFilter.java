package io.pbxbridge.fax;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * Decides when a PDF of the outbox is ready: its size and modification time have not changed since the previous
 * poll and it is at least {@code settleMillis} old (so a file still being written is left alone), and its
 * destinations are known (a sidecar that parses, or a file name with numbers) or the sidecar grace period is over, in
 * which case the job is taken and failed with the reason.
 */
public class FaxOutboxFilter implements GenericFileFilter<File> {

    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    private long settleMillis = 1000;
    private long sidecarGraceMillis = 60_000;

    @Override
    public boolean accept(GenericFile<File> file) {
        if (file.isDirectory()) {
            return false;
        }
        String name = file.getFileNameOnly();
        if (!name.toLowerCase(Locale.ROOT).endsWith(".pdf")) {
            return false;
        }
        long now = System.currentTimeMillis();
        long signature = file.getFileLength() * 31 + file.getLastModified();
        Long previous = lastSeen.put(file.getAbsoluteFilePath(), signature);
        if (previous == null || previous != signature || now - file.getLastModified() < settleMillis) {
            return false; // new or still changing: look again next poll
        }
        Path pdf = Path.of(file.getAbsoluteFilePath());
        Path sidecar = FaxRequest.sidecarOf(pdf);
        boolean graceOver = now - file.getLastModified() >= sidecarGraceMillis;
        boolean ready;
        if (Files.exists(sidecar)) {
            ready = FaxRequest.sidecarReadable(sidecar) || graceOver;
        } else {
            ready = FaxRequest.nameHasDestinations(name) || graceOver;
        }
        if (ready) {
            lastSeen.remove(file.getAbsoluteFilePath());
        }
        return ready;
    }

    public long getSettleMillis() {
        return settleMillis;
    }

    /** How long a PDF must stay unchanged before it is taken. */
    public void setSettleMillis(long settleMillis) {
        this.settleMillis = settleMillis;
    }

    public long getSidecarGraceMillis() {
        return sidecarGraceMillis;
    }

    /** How long to wait for a PDF's sidecar before failing the job for lack of destinations. */
    public void setSidecarGraceMillis(long sidecarGraceMillis) {
        this.sidecarGraceMillis = sidecarGraceMillis;
    }
}
