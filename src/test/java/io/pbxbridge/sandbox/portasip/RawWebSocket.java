package io.pbxbridge.sandbox.portasip;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket client on a plain socket (ws:// only), for what the JDK client cannot show reliably: how the server
 * ends a connection. The JDK client now and then misses a peer's FIN for good (its socket sits in CLOSE-WAIT, no
 * onClose, no onError), so whether a drop came with a close frame is read here from the bytes.
 */
final class RawWebSocket implements AutoCloseable {

    static final int CLOSE = 0x8;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static RawWebSocket open(String wsUrl) throws IOException {
        URI uri = URI.create(wsUrl);
        RawWebSocket ws = new RawWebSocket(new Socket(uri.getHost(), uri.getPort()));
        ws.out.write(("GET " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) ws.in.readUnsignedByte());
        }
        if (!head.toString().startsWith("HTTP/1.1 101")) {
            ws.close();
            throw new IOException("no WebSocket upgrade: " + head);
        }
        return ws;
    }

    /** One text frame, masked as a client's must be (with a zero mask: the payload goes as it is). */
    void sendText(String text) throws IOException {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        frame.write(new byte[4]);
        frame.write(payload);
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The payload of the next text frame (other frames skipped), within {@code millis}. */
    String readText(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == 0x1) {
                return new String(f.payload(), StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * The opcodes of the frames that come until the server ends the connection: the end of the stream, or a reset. A
     * close frame is answered with one, as a client must, so that a server ending the connection properly can.
     *
     * @throws SocketTimeoutException when the connection is still open after {@code millis}
     */
    List<Integer> opcodesUntilEnd(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        List<Integer> opcodes = new ArrayList<>();
        try {
            while (true) {
                int opcode = readFrame().opcode();
                opcodes.add(opcode);
                if (opcode == CLOSE) {
                    out.write(new byte[] { (byte) 0x88, (byte) 0x80, 0, 0, 0, 0 }); // masked, no status
                    out.flush();
                }
            }
        } catch (EOFException e) {
            return opcodes;
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("the connection is still open after " + millis + " ms; frames (opcodes) "
                    + "received: " + opcodes);
        } catch (IOException e) { // connection reset
            return opcodes;
        }
    }

    /** The status code of the close frame that comes within {@code millis} (other frames skipped). */
    int readCloseCode(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        while (true) {
            Frame f = readFrame();
            if (f.opcode() == CLOSE) {
                return f.payload().length >= 2 ? (f.payload()[0] & 0xff) << 8 | (f.payload()[1] & 0xff) : 1005;
            }
        }
    }

    private record Frame(int opcode, byte[] payload) {
    }

    private Frame readFrame() throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] mask = new byte[4];
        if ((b1 & 0x80) != 0) {
            in.readFully(mask);
        }
        byte[] payload = new byte[Math.toIntExact(length)];
        in.readFully(payload);
        for (int i = 0; i < payload.length; i++) {
            payload[i] ^= mask[i & 3];
        }
        return new Frame(b0 & 0x0f, payload);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
