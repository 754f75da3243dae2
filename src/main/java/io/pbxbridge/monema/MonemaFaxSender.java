package io.pbxbridge.monema;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.file.GenericFile;

import io.pbxbridge.support.LogSafe;
import io.pbxbridge.vendor.operation.OperationInputs;

/**
 * The composite {@code monema:fax}: checks or picks the modem, starts an upload session, streams the document in chunks
 * (checking the size the server reports after each), then sends. The document is read through one chunk-sized
 * buffer, never held whole in memory.
 */
final class MonemaFaxSender {

    /** Digits with an optional leading +, 3 to 20 of them, once spaces, dots, dashes and brackets are removed. */
    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9]{3,20}");
    private static final byte[] PDF_MAGIC = "%PDF-".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PDF_EOF = "%%EOF".getBytes(StandardCharsets.US_ASCII);
    private static final int TAIL = 1024;

    private final MonemaConfiguration cfg;

    MonemaFaxSender(MonemaConfiguration cfg) {
        this.cfg = cfg;
    }

    FaxResult send(MonemaClient client, OperationInputs inputs) throws Exception {
        Exchange exchange = inputs.exchange();
        Message in = exchange.getIn();
        MonemaFaxListener listener = cfg.getFaxListener();
        if (listener != null) {
            listener.started(exchange);
        }
        List<String> destinations = destinations(inputs.value("destNumbers"));
        FaxCover cover = cover(inputs);
        long knownSize = knownSize(in.getBody());
        if (knownSize == 0) {
            throw invalid("EMPTY_DOCUMENT", "the document is empty (0 bytes)");
        }
        if (cfg.getMaxDocumentSize() > 0 && knownSize > cfg.getMaxDocumentSize()) {
            throw invalid("DOCUMENT_TOO_LARGE", "the document is " + knownSize + " bytes, over the limit of "
                    + cfg.getMaxDocumentSize() + " bytes");
        }
        if (cfg.isRequirePdf() && knownSize > 0) {
            byte[][] ends = knownEnds(in.getBody(), knownSize);
            if (ends != null && !startsWith(ends[0], ends[0].length, PDF_MAGIC)) {
                throw invalid("NOT_PDF", "the document is not a PDF (it does not start with %PDF-)");
            }
            if (ends != null && !contains(ends[1], ends[1].length, PDF_EOF)) {
                throw invalid("NOT_PDF", "the PDF is truncated or damaged (no %%EOF marker at its end)");
            }
        }
        try (InputStream document = in.getMandatoryBody(InputStream.class)) {
            byte[] buffer = new byte[cfg.getChunkSize()];
            int first = document.readNBytes(buffer, 0, buffer.length);
            if (first <= 0) {
                throw invalid("EMPTY_DOCUMENT", "the document is empty (0 bytes)");
            }
            if (cfg.isRequirePdf() && !startsWith(buffer, first, PDF_MAGIC)) {
                throw invalid("NOT_PDF", "the document is not a PDF (it does not start with %PDF-)");
            }
            String modem = modem(client, inputs.string("faxModem"));
            String sessionId = client.startFaxUpload();
            in.setHeader(MonemaConstants.SESSION_ID, sessionId);
            if (listener != null) {
                listener.uploadStarted(exchange, sessionId, modem);
            }
            byte[] tail = new byte[TAIL];
            int tailLength = 0;
            long sent = 0;
            int chunks = 0;
            for (int n = first; n > 0; n = document.readNBytes(buffer, 0, buffer.length)) {
                if (cfg.getMaxDocumentSize() > 0 && sent + n > cfg.getMaxDocumentSize()) {
                    throw invalid("DOCUMENT_TOO_LARGE", "the document is over the limit of "
                            + cfg.getMaxDocumentSize() + " bytes");
                }
                tailLength = keepTail(tail, tailLength, buffer, n);
                long held = client.uploadFaxChunk(sessionId, buffer, n);
                sent += n;
                chunks++;
                if (held != sent) {
                    throw new MonemaConnectionException("C_uploadFaxChunk", "SIZE_MISMATCH", "after chunk " + chunks
                            + " the server holds " + held + " bytes of session " + sessionId + " but " + sent
                            + " were sent", null);
                }
                if (listener != null) {
                    listener.chunkUploaded(exchange, sessionId, sent, chunks);
                }
            }
            if (cfg.isRequirePdf() && !contains(tail, tailLength, PDF_EOF)) {
                throw invalid("NOT_PDF", "the PDF is truncated or damaged (no %%EOF marker at its end)");
            }
            Instant uploadedAt = Instant.now();
            in.setHeader(MonemaConstants.FILE_SIZE, sent);
            in.setHeader(MonemaConstants.CHUNKS, chunks);
            in.setHeader(MonemaConstants.FAX_MODEM, modem);
            if (listener != null) {
                listener.uploaded(exchange, sessionId, sent, chunks);
                listener.sending(exchange, sessionId);
            }
            client.sendFax(sessionId, modem, destinations, cover);
            FaxResult result = new FaxResult(sessionId, modem, destinations, sent, chunks, uploadedAt, Instant.now());
            if (listener != null) {
                listener.sent(exchange, result);
            }
            return result;
        }
    }

    /**
     * The requested modem, checked against the account's before anything is uploaded (the server would only refuse
     * it at {@code C_sendFax}, after the whole upload), or the account's first when none is requested.
     */
    private static String modem(MonemaClient client, String requested) {
        List<String> modems = client.getFaxModems();
        if (modems.isEmpty()) {
            throw new MonemaFaultException("C_getFaxModems", "NO_MODEM",
                    "the Monema account has no fax modem (C_getFaxModems returned none)");
        }
        if (requested == null || requested.isBlank()) {
            return modems.get(0);
        }
        String modem = requested.trim();
        if (!modems.contains(modem)) {
            throw invalid("UNKNOWN_MODEM", "the fax modem '" + LogSafe.text(modem, 64) + "' is not one of the"
                    + " account's fax modems (" + LogSafe.text(String.join(", ", modems)) + ")");
        }
        return modem;
    }

    /** Destination numbers from a comma separated string or a collection, each checked. */
    static List<String> destinations(Object value) {
        List<String> raw = new ArrayList<>();
        if (value instanceof Collection<?> c) {
            c.forEach(o -> raw.add(String.valueOf(o)));
        } else if (value != null) {
            for (String n : value.toString().split(",")) {
                if (!n.isBlank()) {
                    raw.add(n.trim());
                }
            }
        }
        if (raw.isEmpty()) {
            throw invalid("NO_DESTINATION", "no destination number given (destNumbers option or "
                    + MonemaConstants.DEST_NUMBERS + " header)");
        }
        List<String> out = new ArrayList<>(raw.size());
        for (String r : raw) {
            String n = r.replaceAll("[\\s().\\-]", "");
            if (!NUMBER.matcher(n).matches()) {
                throw invalid("BAD_DESTINATION", "'" + LogSafe.text(r, 64) + "' is not a fax number (3 to 20 digits,"
                        + " optionally with a leading +)");
            }
            out.add(n);
        }
        return out;
    }

    /** The cover from the {@code CamelMonemaFaxCover} header, or from the cover inputs; null for no cover. */
    static FaxCover cover(OperationInputs in) {
        FaxCover cover = in.message().getHeader(MonemaConstants.FAX_COVER, FaxCover.class);
        if (cover != null) {
            return cover;
        }
        boolean use = in.flag("useCover");
        String[] fields = { in.string("coverDestName"), in.string("coverDestCompany"),
                in.string("coverDestLocation"), in.string("coverDestVoicePhone"), in.string("coverDestSubject"),
                in.string("coverDestComments") };
        for (String f : fields) {
            use |= f != null && !f.isEmpty();
        }
        if (!use) {
            return null;
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = fields[i] == null ? "" : fields[i];
        }
        return new FaxCover(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5]);
    }

    private static long knownSize(Object body) throws IOException {
        if (body instanceof GenericFile<?> gf) {
            return gf.getFileLength();
        }
        if (body instanceof File f) {
            return f.length();
        }
        if (body instanceof Path p) {
            return Files.size(p);
        }
        if (body instanceof byte[] b) {
            return b.length;
        }
        return -1;
    }

    /** The first and last bytes of a document whose size is known, to check it before uploading anything. */
    private static byte[][] knownEnds(Object body, long size) throws IOException {
        int n = (int) Math.min(TAIL, size);
        int h = (int) Math.min(PDF_MAGIC.length, size);
        if (body instanceof byte[] b) {
            return new byte[][] { java.util.Arrays.copyOf(b, h), java.util.Arrays.copyOfRange(b, b.length - n, b.length) };
        }
        File file = body instanceof GenericFile<?> gf && gf.getFile() instanceof File f ? f
                : body instanceof File f ? f : body instanceof Path p ? p.toFile() : null;
        if (file == null) {
            return null;
        }
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file, "r")) {
            byte[] head = new byte[h];
            raf.readFully(head);
            byte[] tail = new byte[n];
            raf.seek(size - n);
            raf.readFully(tail);
            return new byte[][] { head, tail };
        }
    }

    private static MonemaException invalid(String code, String message) {
        return new MonemaException("fax", code, MonemaException.Kind.INVALID_REQUEST, message, null);
    }

    private static boolean startsWith(byte[] buf, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Keeps the last {@link #TAIL} bytes seen, for the end-of-file check. */
    private static int keepTail(byte[] tail, int tailLength, byte[] buf, int n) {
        if (n >= TAIL) {
            System.arraycopy(buf, n - TAIL, tail, 0, TAIL);
            return TAIL;
        }
        int keep = Math.min(tailLength, TAIL - n);
        System.arraycopy(tail, tailLength - keep, tail, 0, keep);
        System.arraycopy(buf, 0, tail, keep, n);
        return keep + n;
    }

    private static boolean contains(byte[] buf, int len, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= len; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
