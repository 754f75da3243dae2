package io.pbxbridge.escaux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;

/**
 * Cuts the SOP's event stream (TCP 5050) into events: each event is one top-level XML element, however TCP splits or
 * coalesces them. Emits each complete element as a {@code String} (UTF-8) and everything else as an
 * {@link EscauxRejectedFrame}; the stream always goes on.
 *
 * <ul>
 * <li>Whitespace and NUL bytes between events are skipped; so are XML declarations / processing instructions and
 * comments at top level.</li>
 * <li>Bytes at top level that do not start an element are reported as {@code GARBAGE} once the next element
 * starts (or at {@code maxFrameLength}); a {@code <!DOCTYPE ...>} is reported as {@code DOCTYPE} and never
 * interpreted, so no entity it declares is ever resolved.</li>
 * <li>An element longer than {@code maxFrameLength} is reported as {@code OVERSIZE} with its first
 * {@code maxFrameLength} bytes, then skipped to its end without buffering it.</li>
 * <li>A {@code <} inside a tag means the tag was broken: the bytes so far are {@code GARBAGE} and scanning resumes
 * at that {@code <}, so a lost byte costs one event, not the stream.</li>
 * <li>An event start ({@code <ev} and a capital letter: {@code <evPong/>}, {@code <evParked>}, ...) inside an element
 * means the element never ended: an event the SOP cut short, or a {@code <} in a value that is not markup (Asterisk
 * writes an unknown caller as {@code <unknown>}). Its bytes are {@code TRUNCATED} and the new event is framed, so the
 * events after a broken one (the evPong answers too) are never taken for its content.</li>
 * <li>Bytes held for {@code maxHeldMillis} with no event completed (a broken event and then silence) are reported
 * ({@code TRUNCATED} for an element) and skipped up to the next event start.</li>
 * </ul>
 *
 * <p>The scan is incremental: each byte is examined once, the position and the nesting state are kept between
 * reads, and text is skipped with {@link ByteBuf#indexOf} to the next {@code <}. Element names are not compared
 * here (tags are counted); the event parser checks them. Not sharable: one instance per channel.
 */
public class EscauxEventFrameDecoder extends ByteToMessageDecoder {

    private enum State { TOP, FRAME, DISCARD, GARBAGE, SKIP_PI, SKIP_COMMENT, DOCTYPE }

    private enum Mode { TEXT, TAG, QUOTE, COMMENT, CDATA, PI, DECL }

    private final int maxFrameLength;
    private final long maxHeldNanos;
    private final long tickNanos;

    private State state = State.TOP;
    private Mode mode = Mode.TEXT;
    /** bytes after readerIndex already examined */
    private int scanned;
    private int depth;
    private boolean endTag;
    private byte quote;
    /** TAG: the previous byte was '/' */
    private boolean slash;
    /** DOCTYPE: inside its [internal subset] */
    private boolean subset;
    /** OVERSIZE: bytes discarded so far */
    private long discarded;
    /** after bytes were cut for their age: what follows is garbage up to the next event start */
    private boolean resync;
    /** System.nanoTime() since when bytes are held with no progress; 0 when none are */
    private long heldSince;
    private ScheduledFuture<?> timer;
    private long tickDue;

    public EscauxEventFrameDecoder(int maxFrameLength) {
        this(maxFrameLength, 0);
    }

    /**
     * @param maxFrameLength the largest event, in bytes
     * @param maxHeldMillis  how long bytes may wait for the rest of their event; 0 = as long as it takes
     */
    public EscauxEventFrameDecoder(int maxFrameLength, long maxHeldMillis) {
        if (maxFrameLength < 16) {
            throw new IllegalArgumentException("maxFrameLength " + maxFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
        this.maxHeldNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, maxHeldMillis));
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), maxHeldNanos / 4);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int from = in.readerIndex();
        frames(in, out);
        if (!in.isReadable()) {
            heldSince = 0;
        } else if (maxHeldNanos > 0 && (heldSince == 0 || in.readerIndex() != from)) {
            heldSince = System.nanoTime(); // once per read at most: not per event
        }
    }

    private void frames(ByteBuf in, List<Object> out) {
        for (;;) {
            int start = in.readerIndex();
            int end = in.writerIndex();
            int p = start + scanned;
            if (p >= end) {
                return;
            }
            switch (state) {
                case TOP -> {
                    p = skipSpace(in, p, end);
                    in.readerIndex(p);
                    scanned = 0;
                    if (p >= end) {
                        return;
                    }
                    if (resync) {
                        state = State.GARBAGE;
                        continue;
                    }
                    if (in.getByte(p) != '<') {
                        state = State.GARBAGE;
                        scanned = 1;
                        continue;
                    }
                    if (p + 1 >= end) {
                        return;
                    }
                    byte b = in.getByte(p + 1);
                    if (nameStart(b)) {
                        state = State.FRAME;
                        mode = Mode.TAG;
                        endTag = false;
                        slash = false;
                        depth = 0;
                        scanned = 2;
                    } else if (b == '?') {
                        state = State.SKIP_PI;
                        scanned = 2;
                    } else if (b == '!') {
                        if (end - p < 9) {
                            if (!prefixOf(in, p, end, "<!DOCTYPE") && !prefixOf(in, p, end, "<!--")) {
                                state = State.GARBAGE;
                                scanned = 1;
                            }
                            return;
                        }
                        if (startsWith(in, p, "<!--")) {
                            state = State.SKIP_COMMENT;
                            scanned = 4;
                        } else if (startsWith(in, p, "<!DOCTYPE")) {
                            state = State.DOCTYPE;
                            subset = false;
                            scanned = 9;
                        } else {
                            state = State.GARBAGE;
                            scanned = 1;
                        }
                    } else {
                        state = State.GARBAGE;
                        scanned = 1;
                    }
                }
                case SKIP_PI, SKIP_COMMENT -> {
                    String close = state == State.SKIP_PI ? "?>" : "-->";
                    int i = find(in, p, end, close);
                    if (i < 0) {
                        scanned = Math.max(scanned, end - start - close.length() + 1);
                        if (end - start > maxFrameLength) {
                            reject(in, out, EscauxRejectedFrame.Reason.GARBAGE, end - start);
                            state = State.GARBAGE;
                        }
                        return;
                    }
                    in.readerIndex(i + close.length());
                    scanned = 0;
                    state = State.TOP;
                }
                case DOCTYPE -> {
                    int i = p;
                    for (; i < end; i++) {
                        byte b = in.getByte(i);
                        if (b == '[') {
                            subset = true;
                        } else if (b == ']') {
                            subset = false;
                        } else if (b == '>' && !subset) {
                            break;
                        }
                    }
                    if (i >= end) {
                        scanned = end - start;
                        if (scanned > maxFrameLength) {
                            reject(in, out, EscauxRejectedFrame.Reason.DOCTYPE, scanned);
                            state = State.GARBAGE;
                        }
                        return;
                    }
                    reject(in, out, EscauxRejectedFrame.Reason.DOCTYPE, i + 1 - start);
                    state = State.TOP;
                }
                case GARBAGE -> {
                    // garbage runs until a '<' that may start an element, a PI or a comment/DOCTYPE (after a cut
                    // for age: an event)
                    int limit = Math.min(end, start + maxFrameLength);
                    int i = p;
                    int found = NO;
                    for (; (i = in.indexOf(i, limit, (byte) '<')) >= 0; i++) {
                        found = resync ? eventStart(in, i, end) : markupStart(in, i, end);
                        if (found != NO) {
                            break;
                        }
                    }
                    if (found == YES) {
                        if (i > start) {
                            reject(in, out, EscauxRejectedFrame.Reason.GARBAGE, i - start);
                        }
                        resync = false;
                        state = State.TOP;
                        scanned = 0;
                        continue;
                    }
                    if (found == MAYBE) {
                        scanned = i - start; // that '<' is looked at again with the bytes after it
                        return;
                    }
                    if (end - start >= maxFrameLength) {
                        reject(in, out, EscauxRejectedFrame.Reason.GARBAGE, maxFrameLength);
                        continue;
                    }
                    scanned = end - start;
                    return;
                }
                case FRAME, DISCARD -> {
                    int limit = start + maxFrameLength;
                    int stop = state == State.FRAME ? Math.min(end, limit) : end;
                    int r = scan(in, p, stop);
                    if (r == RESYNC || r == NEXT_EVENT) {
                        // a '<' inside a tag: what came before is not an element; an event start: it never ended
                        int at = resyncAt;
                        if (state == State.FRAME) {
                            reject(in, out, r == RESYNC ? EscauxRejectedFrame.Reason.GARBAGE
                                    : EscauxRejectedFrame.Reason.TRUNCATED, at - start);
                        } else {
                            in.readerIndex(at);
                        }
                        state = State.TOP;
                        scanned = 0;
                        continue;
                    }
                    if (r >= 0) {
                        if (state == State.FRAME) {
                            out.add(in.toString(start, r - start, StandardCharsets.UTF_8));
                        }
                        in.readerIndex(r);
                        scanned = 0;
                        state = State.TOP;
                        continue;
                    }
                    // need more bytes; the scan stopped at 'resyncAt'. At the limit, the element is longer than it
                    int pos = resyncAt;
                    if (state == State.FRAME && stop == limit) {
                        byte[] head = new byte[maxFrameLength];
                        in.getBytes(start, head);
                        out.add(new EscauxRejectedFrame(EscauxRejectedFrame.Reason.OVERSIZE, head, maxFrameLength + 1));
                        discarded = pos - start;
                        state = State.DISCARD;
                        in.readerIndex(pos);
                        scanned = 0;
                        continue;
                    }
                    if (state == State.DISCARD) {
                        discarded += pos - start;
                        in.readerIndex(pos);
                        scanned = 0;
                    } else {
                        scanned = pos - start;
                    }
                    return;
                }
                default -> throw new IllegalStateException(state.toString());
            }
        }
    }

    private static final int NEED_MORE = -1;
    private static final int RESYNC = -2;
    private static final int NEXT_EVENT = -3;
    /** where {@link #scan} stopped (NEED_MORE) or the '<' to resync at (RESYNC, NEXT_EVENT) */
    private int resyncAt;

    /**
     * Scans element content from {@code p}: the index after the element's last '>' when it closes, else
     * {@link #NEED_MORE} (position in {@link #resyncAt}), {@link #RESYNC} or {@link #NEXT_EVENT}.
     */
    private int scan(ByteBuf in, int p, int end) {
        while (p < end) {
            switch (mode) {
                case TEXT -> {
                    int i = in.indexOf(p, end, (byte) '<');
                    if (i < 0) {
                        p = end;
                        break;
                    }
                    if (i + 1 >= end) {
                        resyncAt = i;
                        return NEED_MORE;
                    }
                    byte b = in.getByte(i + 1);
                    if (b == '/') {
                        mode = Mode.TAG;
                        endTag = true;
                        slash = false;
                        p = i + 2;
                    } else if (nameStart(b)) {
                        int event = b == 'e' ? eventStart(in, i, end) : NO;
                        if (event != NO) {
                            resyncAt = i;
                            if (event == MAYBE) {
                                return NEED_MORE;
                            }
                            mode = Mode.TEXT;
                            depth = 0;
                            return NEXT_EVENT;
                        }
                        mode = Mode.TAG;
                        endTag = false;
                        slash = false;
                        p = i + 2;
                    } else if (b == '?') {
                        mode = Mode.PI;
                        p = i + 2;
                    } else if (b == '!') {
                        if (end - i < 9 && (prefixOf(in, i, end, "<!--") || prefixOf(in, i, end, "<![CDATA["))) {
                            resyncAt = i;
                            return NEED_MORE;
                        }
                        if (startsWith(in, i, "<!--")) {
                            mode = Mode.COMMENT;
                            p = i + 4;
                        } else if (startsWith(in, i, "<![CDATA[")) {
                            mode = Mode.CDATA;
                            p = i + 9;
                        } else {
                            mode = Mode.DECL;
                            p = i + 2;
                        }
                    } else {
                        p = i + 1; // '<' not followed by a name: not well-formed, the parser will say so
                    }
                }
                case TAG -> {
                    for (; p < end; p++) {
                        byte b = in.getByte(p);
                        if (b == '>') {
                            if (endTag) {
                                depth--;
                            } else if (!slash) {
                                depth++;
                            }
                            mode = Mode.TEXT;
                            p++;
                            if (depth <= 0) {
                                depth = 0;
                                return p;
                            }
                            break;
                        } else if (b == '"' || b == '\'') {
                            quote = b;
                            mode = Mode.QUOTE;
                            slash = false;
                            p++;
                            break;
                        } else if (b == '<') {
                            resyncAt = p;
                            mode = Mode.TEXT;
                            depth = 0;
                            return RESYNC;
                        }
                        slash = b == '/';
                    }
                }
                case QUOTE -> {
                    int i = in.indexOf(p, end, quote);
                    if (i < 0) {
                        p = end;
                    } else {
                        mode = Mode.TAG;
                        p = i + 1;
                    }
                }
                case COMMENT, CDATA, PI -> {
                    String close = mode == Mode.COMMENT ? "-->" : mode == Mode.CDATA ? "]]>" : "?>";
                    int i = find(in, p, end, close);
                    if (i < 0) {
                        resyncAt = Math.max(p, end - close.length() + 1);
                        return NEED_MORE;
                    }
                    mode = Mode.TEXT;
                    p = i + close.length();
                }
                case DECL -> {
                    int i = in.indexOf(p, end, (byte) '>');
                    if (i < 0) {
                        p = end;
                    } else {
                        mode = Mode.TEXT;
                        p = i + 1;
                    }
                }
                default -> throw new IllegalStateException(mode.toString());
            }
        }
        resyncAt = p;
        return NEED_MORE;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        int left = in.readableBytes();
        if (state == State.DISCARD) {
            in.skipBytes(left);
        } else if (left > 0 && skipSpace(in, in.readerIndex(), in.writerIndex()) < in.writerIndex()) {
            reject(in, out, state == State.GARBAGE ? EscauxRejectedFrame.Reason.GARBAGE
                    : EscauxRejectedFrame.Reason.TRUNCATED, Math.min(left, maxFrameLength));
            in.skipBytes(in.readableBytes());
        } else {
            in.skipBytes(left);
        }
        reset();
    }

    private void reset() {
        state = State.TOP;
        mode = Mode.TEXT;
        scanned = 0;
        depth = 0;
        discarded = 0;
        resync = false;
        heldSince = 0;
    }

    // ---- the time bound ---------------------------------------------------------------------------------------

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (maxHeldNanos > 0) {
            schedule(ctx);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
    }

    /** A few checks per {@code maxHeldMillis}: one task per channel, nothing per read. */
    private void schedule(ChannelHandlerContext ctx) {
        tickDue = System.nanoTime() + tickNanos;
        timer = ctx.executor().schedule(() -> tick(ctx), tickNanos, TimeUnit.NANOSECONDS);
    }

    /** On the channel's event loop, between reads: reports and skips the bytes held too long. */
    private void tick(ChannelHandlerContext ctx) {
        if (ctx.isRemoved()) {
            return;
        }
        long now = System.nanoTime();
        if (now - tickDue > tickNanos) {
            // late: the event loop was busy (routing what it read, waiting for a worker), so the rest of the event
            // may be unread in the socket; the bytes held get a new period
            if (heldSince != 0) {
                heldSince = now;
            }
        } else if (heldSince != 0 && now - heldSince >= maxHeldNanos) {
            List<Object> out = new ArrayList<>(1);
            expire(internalBuffer(), out);
            for (Object o : out) {
                ctx.fireChannelRead(o);
            }
            ctx.fireChannelReadComplete();
        }
        schedule(ctx);
    }

    /** Reports the bytes held as what they were becoming, then skips what follows up to the next event start. */
    private void expire(ByteBuf in, List<Object> out) {
        int held = in.readableBytes();
        State was = state;
        reset();
        if (held > 0 && was != State.DISCARD) {
            reject(in, out, was == State.FRAME ? EscauxRejectedFrame.Reason.TRUNCATED
                    : was == State.DOCTYPE ? EscauxRejectedFrame.Reason.DOCTYPE : EscauxRejectedFrame.Reason.GARBAGE,
                    held);
        } else {
            in.skipBytes(held);
        }
        resync = true;
    }

    /** Reports the next {@code length} bytes and consumes them. */
    private void reject(ByteBuf in, List<Object> out, EscauxRejectedFrame.Reason reason, int length) {
        byte[] bytes = new byte[Math.min(length, maxFrameLength)];
        in.getBytes(in.readerIndex(), bytes);
        in.skipBytes(length);
        scanned = 0;
        out.add(new EscauxRejectedFrame(reason, bytes, length));
    }

    private static int skipSpace(ByteBuf in, int p, int end) {
        while (p < end) {
            byte b = in.getByte(p);
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t' && b != 0) {
                break;
            }
            p++;
        }
        return p;
    }

    private static final int NO = 0;
    private static final int YES = 1;
    /** not known until more bytes arrive */
    private static final int MAYBE = 2;

    /** Whether the '<' at {@code i} starts an element, a PI, a comment or a DOCTYPE. */
    private static int markupStart(ByteBuf in, int i, int end) {
        if (i + 1 >= end) {
            return MAYBE;
        }
        byte b = in.getByte(i + 1);
        return nameStart(b) || b == '?' || b == '!' ? YES : NO;
    }

    /** Whether the '<' at {@code i} starts an event: {@code <ev} and a capital letter. */
    private static int eventStart(ByteBuf in, int i, int end) {
        if (i + 1 < end && in.getByte(i + 1) != 'e' || i + 2 < end && in.getByte(i + 2) != 'v') {
            return NO;
        }
        if (i + 3 >= end) {
            return MAYBE;
        }
        byte b = in.getByte(i + 3);
        return b >= 'A' && b <= 'Z' ? YES : NO;
    }

    private static boolean nameStart(byte b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_' || b == ':' || b < 0;
    }

    private static boolean startsWith(ByteBuf in, int p, String s) {
        if (in.writerIndex() - p < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (in.getByte(p + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes from p to end are a (possibly partial) prefix of s. */
    private static boolean prefixOf(ByteBuf in, int p, int end, String s) {
        for (int i = 0; p + i < end && i < s.length(); i++) {
            if (in.getByte(p + i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int find(ByteBuf in, int p, int end, String s) {
        byte first = (byte) s.charAt(0);
        for (;;) {
            int i = in.indexOf(p, end, first);
            if (i < 0 || i + s.length() > end) {
                return -1;
            }
            if (startsWith(in, i, s)) {
                return i;
            }
            p = i + 1;
        }
    }
}
