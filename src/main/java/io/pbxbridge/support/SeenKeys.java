package io.pbxbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * A file of keys seen (one a line), shared by every process that uses the same file: the keys announced of a source
 * survive restarts, and the instance that takes a source over sees what the one before it announced.
 * <p>
 * Why not Camel's {@code FileIdempotentRepository}: it reads its file only when it starts and rewrites it from its own
 * cache when trimming, so with several instances on one file it would miss, and erase, the other's keys. Here every
 * change is made under a lock file, appends are read back by every process before it answers (one {@code stat} when
 * nothing changed), and a rewrite (trim, remove) replaces the file atomically, which the others notice and reload.
 */
public class SeenKeys extends ServiceSupport implements IdempotentRepository {

    private Path file;
    private int cacheSize = 100_000;
    private long maxFileStoreSize = 10L * 1024 * 1024;

    private final Map<String, Boolean> cache = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > cacheSize;
        }
    };
    /** The file as last read: which one (a rewrite makes another) and how far. */
    private Object readKey;
    private long readUpTo;

    public void setPath(String path) {
        this.file = Path.of(path).toAbsolutePath();
    }

    public String getPath() {
        return file == null ? null : file.toString();
    }

    public void setCacheSize(int cacheSize) {
        this.cacheSize = cacheSize;
    }

    /** When the file grows past this, it is rewritten with its newer half. */
    public void setMaxFileStoreSize(long maxFileStoreSize) {
        this.maxFileStoreSize = maxFileStoreSize;
    }

    @Override
    protected void doStart() throws Exception {
        Objects.requireNonNull(file, "path");
        Files.createDirectories(file.getParent());
        synchronized (this) {
            refresh();
        }
    }

    @Override
    public synchronized boolean add(String key) {
        String k = clean(key);
        return locked(() -> {
            refresh();
            if (cache.containsKey(k)) {
                return false;
            }
            byte[] line = (k + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ByteBuffer buf = ByteBuffer.wrap(line);
                while (buf.hasRemaining()) {
                    out.write(buf);
                }
            }
            cache.put(k, Boolean.TRUE);
            if (Files.size(file) > maxFileStoreSize) {
                trim();
            }
            return true;
        });
    }

    @Override
    public synchronized boolean contains(String key) {
        try {
            refresh();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the keys seen in " + file, e);
        }
        return cache.containsKey(clean(key));
    }

    @Override
    public synchronized boolean remove(String key) {
        String k = clean(key);
        return locked(() -> {
            refresh();
            List<String> lines = lines();
            boolean removed = lines.removeIf(k::equals);
            if (removed) {
                rewrite(lines);
            }
            cache.remove(k);
            return removed;
        });
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public synchronized void clear() {
        locked(() -> {
            rewrite(List.of());
            return true;
        });
    }

    /** Reads what other processes (or this one) appended since the last read; the whole file when it was replaced. */
    private void refresh() throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return;
        }
        Object key = attrs.fileKey() != null ? attrs.fileKey() : attrs.creationTime();
        if (!key.equals(readKey) || attrs.size() < readUpTo) {
            cache.clear();
            readKey = key;
            readUpTo = 0;
        }
        if (attrs.size() == readUpTo) {
            return;
        }
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = in.size();
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, size - readUpTo));
            in.position(readUpTo);
            while (buf.hasRemaining() && in.read(buf) > 0) {
                // read to the end
            }
            byte[] bytes = buf.array();
            int start = 0;
            for (int i = 0; i < buf.position(); i++) {
                if (bytes[i] == '\n') {
                    if (i > start) {
                        cache.put(new String(bytes, start, i - start, StandardCharsets.UTF_8), Boolean.TRUE);
                    }
                    start = i + 1;
                }
            }
            readUpTo += start; // a line still being written is read whole next time
        }
    }

    private List<String> lines() throws IOException {
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
            lines.removeIf(String::isEmpty);
            return lines;
        } catch (NoSuchFileException e) {
            return new ArrayList<>();
        }
    }

    /** Keeps the newer half of the keys (the file's order is the order they were seen in). */
    private void trim() throws IOException {
        List<String> lines = lines();
        rewrite(new ArrayList<>(lines.subList(lines.size() / 2, lines.size())));
    }

    private void rewrite(List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        lines.forEach(l -> text.append(l).append('\n'));
        AtomicFiles.write(file, text.toString());
        cache.clear();
        readKey = null;
        refresh();
    }

    private interface Locked {
        boolean run() throws IOException;
    }

    /** Runs a change under the lock file, which every process sharing the keys takes for its changes. */
    private boolean locked(Locked change) {
        Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            return change.run();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot change the keys seen in " + file, e);
        }
    }

    /** One key a line: a line break in a key would make two. */
    private static String clean(String key) {
        return key.replace('\n', ' ').replace('\r', ' ');
    }
}
