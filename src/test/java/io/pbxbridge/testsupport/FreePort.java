package io.pbxbridge.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/** A loopback port free right now: for servers a test starts (the management server of each app it runs). */
public final class FreePort {

    private FreePort() {
    }

    public static int next() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The management server of an application a test runs on a port of its own (9876 may be in use). */
    public static String managementPort() {
        return Integer.toString(next());
    }
}
