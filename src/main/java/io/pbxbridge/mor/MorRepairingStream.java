package io.pbxbridge.mor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The first half of the tolerant reader ({@link MorXmlReader}): a stream between MOR's page and the XML parser that
 * repairs, as the bytes stream through, the faults that make a page not well-formed XML, and records each repair
 * ({@link MorRepairs}) with its line and column (in characters) in the page as sent:
 * <ul>
 * <li>{@code <?xml version="1.0" encoding="utf-8">}: the missing {@code ?} is added; whitespace or text before the
 * declaration is dropped;</li>
 * <li>text before the root element or after it (a banner, a warning) and a {@code <!DOCTYPE ...>} are dropped, the
 * DOCTYPE unread;</li>
 * <li>{@code & quot;} (the spec's devices page): the spaces after {@code &} are removed, for XML's five entities;
 * any other {@code &} that starts no entity or character reference ({@code AT&T}, {@code &nbsp;}) is escaped to
 * {@code &amp;}: so no entity other than XML's five is ever resolved, whatever the page declares;</li>
 * <li>{@code <<processed>}: one {@code <} is dropped; a {@code <} that starts no tag is escaped;</li>
 * <li>an unquoted attribute value is quoted; control characters XML forbids are dropped.</li>
 * </ul>
 * Banners between elements ({@code ++++}, {@code .....}) are well-formed text: the second half, the tree builder,
 * ignores them. Line breaks are never added or removed after the XML declaration, so the parser's line numbers are
 * the page's; columns changed by a repair are mapped back ({@link #inputColumn}). Text that is not a repair passes
 * through unchanged: the cost is one scan of each byte, and the parser keeps its fast path from bytes.
 * <p>
 * It works on the bytes of an ASCII-compatible encoding (UTF-8, which MOR, a Rails application, sends; ISO-8859-x):
 * every character it looks for is ASCII, and a byte of a multi-byte character is never one of them.
 */
final class MorRepairingStream extends InputStream {

    private static final int CHUNK = 8192;
    /** Column adjustments kept for error positions; past this, columns of later repaired lines are not mapped. */
    private static final int MAX_ADJUSTMENTS = 4096;
    private static final String[] ENTITIES = { "lt", "gt", "amp", "quot", "apos" };

    private enum State {
        PRE_ROOT, DECLARATION, DOCTYPE, COMMENT, PI, CDATA, TEXT, TAG, ATTRIBUTE, UNQUOTED, AFTER_ROOT, DONE
    }

    private final InputStream in;
    private final MorRepairs repairs;

    private byte[] buf = new byte[CHUNK * 2];
    private int pos;
    private int lim;
    private boolean eof;
    /** Offset in the page of buf[0]. */
    private long base;

    private int line = 1;
    /** Offset in the page of the first byte of the current line. */
    private long lineStart;
    /** Bytes of the current line before pos that continue a multi-byte character (columns count characters). */
    private int lineContinuations;
    /** Output minus input columns on the current line, after the repairs so far. */
    private int lineDelta;
    /** Lines dropped before the XML declaration: the parser's line 1 is the page's line 1 + this. */
    private int lineShift;
    /** (line, output column, delta) of each change of delta. */
    private int[] adjustments = new int[48];
    private int adjustmentCount;

    private byte[] out = new byte[CHUNK * 2];
    private final byte[] one = new byte[1];
    private int outPos;
    private int outLim;

    private State state = State.PRE_ROOT;
    private State after = State.PRE_ROOT;
    private int depth;
    private boolean endTag;
    private byte lastTagChar;
    private byte quote;
    private int doctypeBrackets;
    private byte doctypeQuote;
    private boolean emitted;
    /** Whitespace before the root (line breaks of dropped text included), held until what follows is known. */
    private final StringBuilder pending = new StringBuilder();
    private boolean inJunk;
    private boolean junkSeen;

    MorRepairingStream(InputStream in, MorRepairs repairs) {
        this.in = in;
        this.repairs = repairs;
    }

    // ---- InputStream ------------------------------------------------------------------------------------------

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (outPos == outLim) {
            if (state == State.DONE) {
                return -1;
            }
            outPos = 0;
            outLim = 0;
            fill();
        }
        int n = Math.min(len, outLim - outPos);
        System.arraycopy(out, outPos, cbuf, off, n);
        outPos += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The page's line of the parser's {@code parserLine}. */
    int inputLine(int parserLine) {
        return parserLine + lineShift;
    }

    /** The page's column of the parser's {@code parserColumn} on the parser's {@code parserLine}. */
    int inputColumn(int parserLine, int parserColumn) {
        int l = inputLine(parserLine);
        int delta = 0;
        for (int i = 0; i < adjustmentCount; i++) {
            int[] a = adjustments;
            if (a[i * 3] == l && a[i * 3 + 1] <= parserColumn) {
                delta = a[i * 3 + 2];
            }
        }
        return Math.max(1, parserColumn - delta);
    }

    // ---- the state machine ------------------------------------------------------------------------------------

    private void fill() throws IOException {
        while (outLim < CHUNK && state != State.DONE) {
            if (!ensure(1)) {
                finish();
                return;
            }
            switch (state) {
                case PRE_ROOT -> preRoot();
                case DECLARATION -> declaration();
                case DOCTYPE -> doctype();
                case COMMENT -> until("-->");
                case PI -> until("?>");
                case CDATA -> until("]]>");
                case TEXT -> text();
                case TAG -> tag();
                case ATTRIBUTE -> attribute();
                case UNQUOTED -> unquoted();
                case AFTER_ROOT -> afterRoot();
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** End of the page: what was held is let through; the parser reports a page cut short. */
    private void finish() {
        if (state == State.PRE_ROOT) {
            emit(pending);
            pending.setLength(0);
        } else if (state == State.UNQUOTED) {
            emit('"');
        }
        state = State.DONE;
    }

    private void preRoot() throws IOException {
        char c = at(pos);
        if (c == 0xEF && offset() == 0) {
            ensure(3);
            if (available(2) && at(pos + 1) == 0xBB && at(pos + 2) == 0xBF) {
                pos += 3; // UTF-8's byte order mark, not a fault
                lineStart += 3;
                return;
            }
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            pending.append(c);
            advance(c);
            inJunk = false;
            return;
        }
        if (c == '<') {
            ensure(10);
            if (!emitted && startsWith("<?xml") && available(5) && isSpaceOr(at(pos + 5), '?')) {
                if (pending.length() > 0) {
                    if (!junkSeen) {
                        repairs.add(MorRepair.Kind.TEXT_BEFORE_DECLARATION, line, column(), "whitespace");
                    }
                    lineShift = count(pending, '\n');
                    pending.setLength(0);
                }
                setDelta(1 - column());
                copy(5);
                lastTagChar = (byte) 'l';
                emitted = true;
                state = State.DECLARATION;
                return;
            }
            if (startsWithIgnoreCase("<!DOCTYPE")) {
                repairs.add(MorRepair.Kind.DOCTYPE, line, column(), "<!DOCTYPE");
                doctypeBrackets = 0;
                doctypeQuote = 0;
                dropChar(c);
                state = State.DOCTYPE;
                return;
            }
            if (startsWith("<!--")) {
                flushPending();
                copy(4);
                after = State.PRE_ROOT;
                state = State.COMMENT;
                emitted = true;
                return;
            }
            if (startsWith("<?")) {
                flushPending();
                copy(2);
                after = State.PRE_ROOT;
                state = State.PI;
                emitted = true;
                return;
            }
            if (available(1) && isNameStart(at(pos + 1))) {
                flushPending();
                copy(1);
                inJunk = false;
                emitted = true;
                depth = 1;
                endTag = false;
                lastTagChar = 0;
                state = State.TAG;
                return;
            }
        }
        if (!inJunk) {
            repairs.add(MorRepair.Kind.TEXT_OUTSIDE_ROOT, line, column(), junkSample());
            inJunk = true;
            junkSeen = true;
        }
        dropChar(c);
    }

    /** Up to the {@code >} of {@code <?xml ... >}, adding the {@code ?} when it is missing. */
    private void declaration() {
        char c = at(pos);
        if (c == '>') {
            if (lastTagChar != '?') {
                repairs.add(MorRepair.Kind.DECLARATION_WITHOUT_QUESTION_MARK, line, column(), "<?xml ... >");
                emit('?');
                setDelta(lineDelta + 1);
            }
            copy(1);
            state = State.PRE_ROOT;
            return;
        }
        copyChecked(c);
        if (!isSpace(c)) {
            lastTagChar = (byte) c;
        }
    }

    private void doctype() {
        char c = at(pos);
        if (doctypeQuote != 0) {
            if (c == doctypeQuote) {
                doctypeQuote = 0;
            }
        } else if (c == '"' || c == '\'') {
            doctypeQuote = (byte) c;
        } else if (c == '[') {
            doctypeBrackets++;
        } else if (c == ']') {
            doctypeBrackets--;
        } else if (c == '>' && doctypeBrackets <= 0) {
            state = State.PRE_ROOT;
        }
        dropChar(c);
    }

    /** Copies a comment, processing instruction or CDATA section up to and including {@code end}. */
    private void until(String end) throws IOException {
        char c = at(pos);
        if (c == end.charAt(0)) {
            ensure(end.length());
            if (startsWith(end)) {
                copy(end.length());
                state = after;
                return;
            }
        }
        copyChecked(c);
    }

    private void text() throws IOException {
        // the fast path: runs of ordinary bytes and simple tags (<name>, </name>), copied at once
        byte[] b = buf;
        int l = lim;
        int p = pos;
        int start = p;
        while (p < l && outLim + (p - start) < CHUNK) {
            byte c = b[p];
            if (c == '<') {
                int end = simpleTag(b, p, l);
                if (end < 0) {
                    break;
                }
                p = end;
                if (depth <= 0) {
                    break;
                }
                continue;
            }
            if (c == '&') {
                break;
            }
            if (c < 0x20) {
                if (c < 0) {
                    if ((c & 0xC0) == 0x80) {
                        lineContinuations++;
                    }
                } else if (c == '\n') {
                    line++;
                    lineStart = base + p + 1;
                    lineDelta = 0;
                    lineContinuations = 0;
                } else if (c != '\t' && c != '\r') {
                    break;
                }
            }
            p++;
        }
        if (p > start) {
            emit(b, start, p - start);
            pos = p;
            if (depth <= 0) {
                state = State.AFTER_ROOT;
            }
            return;
        }
        char c = at(pos);
        if (c == '&') {
            ampersand();
        } else if (c == '<') {
            lessThan();
        } else {
            invalid(c);
        }
    }

    /**
     * A start or end tag without attributes or spaces ({@code <call>}, {@code </call>}) at {@code p}: its end, the
     * depth counted; -1 for anything else (left to {@link #lessThan}).
     */
    private int simpleTag(byte[] b, int p, int l) {
        int q = p + 1;
        boolean end = q < l && b[q] == '/';
        if (end) {
            q++;
        }
        if (q >= l || !isNameStart((char) (b[q] & 0xff))) {
            return -1;
        }
        int nameStart = q;
        int continuations = 0;
        while (q < l) {
            byte x = b[q];
            if (x >= 'a' && x <= 'z' || x >= 'A' && x <= 'Z' || x >= '0' && x <= '9' || x == '_' || x == '-'
                    || x == '.' || x == ':') {
                q++;
            } else if (x < 0) {
                if ((x & 0xC0) == 0x80) {
                    continuations++;
                }
                q++;
            } else {
                break;
            }
        }
        if (q == nameStart || q >= l || b[q] != '>') {
            return -1;
        }
        lineContinuations += continuations;
        depth += end ? -1 : 1;
        return q + 1;
    }

    private void lessThan() throws IOException {
        ensure(9);
        if (!available(1)) {
            copy(1); // the page ends here: the parser says so
            return;
        }
        char n = at(pos + 1);
        if (n == '<') {
            repairs.add(MorRepair.Kind.DOUBLED_LESS_THAN, line, column(), "<<");
            drop(1);
        } else if (n == '/') {
            copy(2);
            depth--;
            endTag = true;
            lastTagChar = 0;
            state = State.TAG;
        } else if (startsWith("<!--")) {
            copy(4);
            after = State.TEXT;
            state = State.COMMENT;
        } else if (startsWith("<![CDATA[")) {
            copy(9);
            after = State.TEXT;
            state = State.CDATA;
        } else if (n == '?') {
            copy(2);
            after = State.TEXT;
            state = State.PI;
        } else if (isNameStart(n)) {
            copy(1);
            depth++;
            endTag = false;
            lastTagChar = 0;
            state = State.TAG;
        } else {
            strayLessThan();
        }
    }

    private void strayLessThan() {
        repairs.add(MorRepair.Kind.STRAY_LESS_THAN, line, column(), "<");
        pos++;
        emit("&lt;");
        setDelta(lineDelta + 3);
    }

    private void tag() throws IOException {
        char c = at(pos);
        switch (c) {
            case '>' -> {
                copy(1);
                if (!endTag && lastTagChar == '/') {
                    depth--;
                }
                state = depth <= 0 ? State.AFTER_ROOT : State.TEXT;
            }
            case '"', '\'' -> {
                copy(1);
                quote = (byte) c;
                state = State.ATTRIBUTE;
            }
            case '=' -> {
                copy(1);
                lastTagChar = (byte) c;
                // whitespace, then the value: quoted as it should be, or not
                while (ensure(1) && isSpace(at(pos))) {
                    copyChecked(at(pos));
                }
                if (available(0) && at(pos) != '"' && at(pos) != '\'' && at(pos) != '>') {
                    repairs.add(MorRepair.Kind.UNQUOTED_ATTRIBUTE, line, column(), "=" + at(pos));
                    emit('"');
                    setDelta(lineDelta + 1);
                    state = State.UNQUOTED;
                }
            }
            default -> {
                if (c < 0x20 && !isSpace(c)) {
                    invalid(c);
                    return;
                }
                // a run of name characters and spaces, copied at once
                int start = pos;
                int p = pos;
                byte[] b = buf;
                byte last = 0;
                while (p < lim) {
                    byte x = b[p];
                    if (x == '>' || x == '"' || x == '\'' || x == '=' || x == '<' || x == '&' || (x >= 0 && x < 0x20)) {
                        break;
                    }
                    if (x < 0 && (x & 0xC0) == 0x80) {
                        lineContinuations++;
                    }
                    if (x != ' ') {
                        last = x;
                    }
                    p++;
                }
                if (p == start) {
                    copyChecked(c);
                    if (!isSpace(c)) {
                        lastTagChar = (byte) c;
                    }
                    return;
                }
                emit(b, start, p - start);
                pos = p;
                if (last != 0) {
                    lastTagChar = last;
                }
            }
        }
    }

    private void attribute() throws IOException {
        char c = at(pos);
        if (c == quote) {
            copy(1);
            state = State.TAG;
        } else if (c == '&') {
            ampersand();
        } else if (c == '<') {
            strayLessThan();
        } else if (c < 0x20 && !isSpace(c)) {
            invalid(c);
        } else {
            copyChecked(c);
        }
    }

    private void unquoted() throws IOException {
        char c = at(pos);
        boolean end = isSpace(c) || c == '>';
        if (c == '/') {
            ensure(2);
            end = available(1) && at(pos + 1) == '>';
        }
        if (end) {
            emit('"');
            setDelta(lineDelta + 1);
            lastTagChar = (byte) '"';
            state = State.TAG;
        } else if (c == '&') {
            ampersand();
        } else if (c == '<' || c == '"') {
            repairs.add(MorRepair.Kind.STRAY_LESS_THAN, line, column(), String.valueOf(c));
            pos++;
            emit(c == '<' ? "&lt;" : "&quot;");
            setDelta(lineDelta + (c == '<' ? 3 : 5));
        } else if (c < 0x20) {
            invalid(c);
        } else {
            copyChecked(c);
        }
    }

    private void afterRoot() {
        char c = at(pos);
        if (!isSpace(c) && !inJunk) {
            repairs.add(MorRepair.Kind.TEXT_OUTSIDE_ROOT, line, column(), junkSample());
            inJunk = true;
        }
        advance(c); // dropped: nothing after the root is read
    }

    /** At an {@code &}: an entity or character reference, one with a space ({@code & quot;}), or text. */
    private void ampersand() throws IOException {
        ensure(16);
        int i = 1;
        if (available(1) && at(pos + 1) == '#') {
            i = 2;
            boolean hex = available(2) && (at(pos + 2) == 'x' || at(pos + 2) == 'X');
            if (hex) {
                i = 3;
            }
            int digits = 0;
            while (available(i) && (hex ? Character.digit(at(pos + i), 16) >= 0 : isDigit(at(pos + i)))) {
                i++;
                digits++;
            }
            if (digits > 0 && available(i) && at(pos + i) == ';') {
                copy(i + 1);
                return;
            }
            bareAmpersand("&#");
            return;
        }
        int spaces = 0;
        while (available(i) && (at(pos + i) == ' ' || at(pos + i) == '\t') && spaces < 3) {
            i++;
            spaces++;
        }
        int nameStart = i;
        while (available(i) && i - nameStart < 12 && isNameChar(at(pos + i))) {
            i++;
        }
        String name = new String(buf, pos + nameStart, i - nameStart, StandardCharsets.ISO_8859_1);
        boolean terminated = available(i) && at(pos + i) == ';';
        if (terminated && !name.isEmpty() && isXmlEntity(name)) {
            if (spaces == 0) {
                copy(i + 1);
            } else {
                repairs.add(MorRepair.Kind.ENTITY_WITH_SPACE, line, column(),
                        new String(buf, pos, i + 1, StandardCharsets.ISO_8859_1));
                emit('&');
                emit(name);
                emit(';');
                pos += i + 1;
                setDelta(lineDelta - spaces);
            }
            return;
        }
        bareAmpersand(spaces == 0 && terminated && !name.isEmpty() ? "&" + name + ";" : "&");
    }

    private void bareAmpersand(String sample) {
        repairs.add(MorRepair.Kind.BARE_AMPERSAND, line, column(), sample);
        pos++;
        emit("&amp;");
        setDelta(lineDelta + 4);
    }

    private void invalid(char c) {
        repairs.add(MorRepair.Kind.INVALID_CHARACTER, line, column(), String.valueOf(c));
        drop(1);
    }

    // ---- input ------------------------------------------------------------------------------------------------

    /** Whether {@code n} characters are buffered from {@code pos}, reading more when needed. */
    private boolean ensure(int n) throws IOException {
        while (lim - pos < n && !eof) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                base += pos;
                lim -= pos;
                pos = 0;
            }
            if (lim == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos >= n;
    }

    /** Whether the character at {@code pos + i} is buffered (after an {@link #ensure}). */
    private boolean available(int i) {
        return pos + i < lim;
    }

    private boolean startsWith(String s) {
        if (lim - pos < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (at(pos + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWithIgnoreCase(String s) {
        if (lim - pos < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.toUpperCase(at(pos + i)) != Character.toUpperCase(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private long offset() {
        return base + pos;
    }

    /** The column, in characters, of {@code pos}. */
    private int column() {
        return (int) (offset() - lineStart) - lineContinuations + 1;
    }

    /** The byte at {@code i} as a character: ASCII as is, the bytes of other characters as 0x80-0xff. */
    private char at(int i) {
        return (char) (buf[i] & 0xff);
    }

    /** Consumes {@code c} (at {@code pos}), following line breaks. */
    private void advance(char c) {
        pos++;
        if (c == '\n') {
            line++;
            lineStart = offset();
            lineDelta = 0;
            lineContinuations = 0;
        } else if ((c & 0xC0) == 0x80) {
            lineContinuations++;
        }
    }

    /** The first characters of dropped text, for the repair's sample. */
    private String junkSample() {
        int n = Math.min(lim - pos, 256);
        int end = pos;
        while (end < pos + n && buf[end] != '\n' && buf[end] != '<') {
            end++;
        }
        return new String(buf, pos, Math.max(1, end - pos), StandardCharsets.UTF_8);
    }

    // ---- output -----------------------------------------------------------------------------------------------

    private void copy(int n) {
        for (int i = 0; i < n; i++) {
            copyChecked(at(pos));
        }
    }

    /** Copies one character, following line breaks. */
    private void copyChecked(char c) {
        emit(c);
        advance(c);
    }

    /** Drops {@code n} characters of the current line (none a line break). */
    private void drop(int n) {
        pos += n;
        setDelta(lineDelta - n);
    }

    /** Drops a character before the root: its line breaks are kept, for the line numbers. */
    private void dropChar(char c) {
        if (c == '\n' || c == '\r') {
            pending.append(c);
        }
        advance(c);
    }

    private void flushPending() {
        if (pending.length() > 0 || column() > 1) {
            int tail = pending.length() - Math.max(pending.lastIndexOf("\n"), pending.lastIndexOf("\r")) - 1;
            emit(pending);
            pending.setLength(0);
            setDelta(tail - (column() - 1));
        }
    }

    private void emit(char c) {
        if (outLim == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
        }
        out[outLim++] = (byte) c;
    }

    private void emit(byte[] src, int from, int n) {
        if (outLim + n > out.length) {
            out = Arrays.copyOf(out, Math.max(out.length * 2, outLim + n));
        }
        System.arraycopy(src, from, out, outLim, n);
        outLim += n;
    }

    private void emit(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            emit(s.charAt(i));
        }
    }

    /** The output minus input columns from here on the current line: recorded for error positions. */
    private void setDelta(int delta) {
        if (delta == lineDelta && adjustmentCount > 0) {
            return;
        }
        lineDelta = delta;
        if (adjustmentCount < MAX_ADJUSTMENTS) {
            if ((adjustmentCount + 1) * 3 > adjustments.length) {
                adjustments = Arrays.copyOf(adjustments, adjustments.length * 2);
            }
            adjustments[adjustmentCount * 3] = line;
            adjustments[adjustmentCount * 3 + 1] = column() + delta;
            adjustments[adjustmentCount * 3 + 2] = delta;
            adjustmentCount++;
        }
    }

    // ---- characters -------------------------------------------------------------------------------------------

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    private static boolean isSpaceOr(char c, char other) {
        return isSpace(c) || c == other;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII letters, {@code _}, {@code :}, and the bytes of non-ASCII characters (which XML allows in names). */
    private static boolean isNameStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80;
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || isDigit(c) || c == '-' || c == '.';
    }

    private static boolean isXmlEntity(String name) {
        for (String e : ENTITIES) {
            if (e.equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static int count(CharSequence s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
