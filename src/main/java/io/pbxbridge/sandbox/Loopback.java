package io.pbxbridge.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Listening sockets of the simulators: always on 127.0.0.1, and the same port again after a stop. */
public final class Loopback {

    /** Creates and starts a server on the given address. */
    @FunctionalInterface
    public interface Binder<T> {
        T bind(InetSocketAddress address) throws IOException;
    }

    private Loopback() {
    }

    /** A simulator could not listen on its port (another program has it, usually). */
    public static final class PortUnavailableException extends UncheckedIOException {

        private static final long serialVersionUID = 1L;
        private final int port;

        PortUnavailableException(int port, IOException cause) {
            super("Cannot listen on 127.0.0.1:" + port, cause);
            this.port = port;
        }

        public int port() {
            return port;
        }
    }

    /**
     * Binds on {@code 127.0.0.1:port} (0 = a free port). A fixed port just released by a stop may still be busy for
     * a moment, so binding is retried for up to 5 s before giving up.
     *
     * @throws PortUnavailableException when it cannot
     */
    public static <T> T bind(int port, Binder<T> binder) {
        IOException last = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            try {
                return binder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (BindException e) {
                last = e;
                if (port == 0) {
                    break;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            } catch (IOException e) {
                last = e;
                break;
            }
        }
        throw new PortUnavailableException(port, last);
    }
}
