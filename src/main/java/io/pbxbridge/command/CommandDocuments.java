package io.pbxbridge.command;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

import io.pbxbridge.config.ConnectionTargets;

/**
 * The documents commands send (a fax's PDF), by URL or by path. A path is read only from the documents folder
 * ({@code commands.documents}), never from elsewhere on the host: a command comes from a queue anyone with access
 * to the topic can write to. A URL is http or https, read with a timeout, and no larger than the size limit.
 */
public final class CommandDocuments {

    private final Path folder;
    private final long maxBytes;
    private final Duration timeout;
    private final HttpClient http;

    public CommandDocuments(Path folder, long maxBytes, Duration timeout) {
        this.folder = folder.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /**
     * The document's bytes.
     *
     * @throws CommandRejectedException a path outside the folder or not there, a URL that is not http(s), a document
     *                                  too large or a URL that does not answer 200
     */
    public byte[] load(String document) throws CommandRejectedException {
        if (document.startsWith("http://") || document.startsWith("https://")) {
            return fetch(document);
        }
        Path p = folder.resolve(document).normalize();
        if (!p.startsWith(folder)) {
            throw new CommandRejectedException("document '" + document + "' is outside the documents folder "
                    + folder + " (commands.documents)");
        }
        try {
            long size = Files.size(p);
            if (maxBytes > 0 && size > maxBytes) {
                throw tooLarge(document, size);
            }
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new CommandRejectedException("document '" + document + "' is not in the documents folder " + folder);
        } catch (IOException e) {
            throw new CommandRejectedException("document '" + document + "' cannot be read: " + e.getMessage());
        }
    }

    private byte[] fetch(String url) throws CommandRejectedException {
        String shown = ConnectionTargets.mask(url);
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw new CommandRejectedException("document " + shown + " answered HTTP " + r.statusCode());
                }
                byte[] bytes = maxBytes > 0 ? in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1))
                        : in.readAllBytes();
                if (maxBytes > 0 && bytes.length > maxBytes) {
                    throw tooLarge(shown, bytes.length);
                }
                return bytes;
            }
        } catch (IllegalArgumentException e) {
            throw new CommandRejectedException("document " + shown + " is not a URL: " + e.getMessage());
        } catch (IOException e) {
            throw new CommandRejectedException("document " + shown + " cannot be read: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandRejectedException("document " + shown + " not read: interrupted");
        }
    }

    private CommandRejectedException tooLarge(String document, long size) {
        return new CommandRejectedException("document " + document + " is " + size + " bytes, more than "
                + maxBytes + " (fax.max-size)");
    }
}
