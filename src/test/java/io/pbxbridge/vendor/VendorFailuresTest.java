package io.pbxbridge.vendor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.Test;

import io.pbxbridge.escaux.EscauxConnectionException;
import io.pbxbridge.escaux.EscauxFaultException;
import io.pbxbridge.escaux.EscauxResponseException;
import io.pbxbridge.events.SinkFailure;
import io.pbxbridge.monema.MonemaConnectionException;
import io.pbxbridge.monema.MonemaFaultException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VendorFailuresTest {

    @Test
    void httpStatusesSortedOnce() {
        for (int s : new int[] { 500, 502, 503, 504, 408, 429 }) {
            assertTrue(VendorFailures.isTransient(http(s)), "HTTP " + s);
            assertEquals(SinkFailure.TRANSIENT, SinkFailure.of(http(s)));
        }
        for (int s : new int[] { 400, 401, 403, 404, 409, 422 }) {
            assertFalse(VendorFailures.isTransient(http(s)), "HTTP " + s);
            assertEquals(SinkFailure.PERMANENT, SinkFailure.of(http(s)));
        }
        assertEquals(SinkFailure.GONE, SinkFailure.of(new RuntimeException("wrapped", http(410))));
    }

    @Test
    void ioAndTimeoutsAreTransientUnknownsPermanent() {
        assertTrue(VendorFailures.isTransient(new RuntimeException(new ConnectException("refused"))));
        assertTrue(VendorFailures.isTransient(new SocketTimeoutException("read timed out")));
        assertTrue(VendorFailures.isTransient(new TimeoutException()));
        assertFalse(VendorFailures.isTransient(new IllegalArgumentException("bad")));
        assertFalse(VendorFailures.isTransient(new org.apache.kafka.common.errors.RecordTooLargeException("big")));
        assertTrue(VendorFailures.isTransient(new org.apache.kafka.common.errors.TimeoutException("t")));
    }

    @Test
    void everyVendorsExceptionsShareTheModel() {
        VendorException refused = new EscauxConnectionException("ccOriginate", "ConnectException", "down",
                new ConnectException("refused"));
        assertEquals("escaux", refused.getVendor());
        assertEquals(VendorException.Kind.UNREACHABLE, refused.getKind());
        assertTrue(refused.isTransient() && refused.provesNotExecuted());

        VendorException dropped = new MonemaConnectionException("C_makeCall", "IOException", "dropped",
                new IOException("connection reset"));
        assertEquals("monema", dropped.getVendor());
        assertEquals(VendorException.Kind.NO_ANSWER, dropped.getKind());
        assertTrue(dropped.isTransient());
        assertFalse(dropped.provesNotExecuted(), "a request that may have arrived must not be sent again");

        VendorException fault = new MonemaFaultException("C_sendSMS", "Client", "refused");
        assertFalse(fault.isTransient());
        assertTrue(fault.provesNotExecuted());
        assertFalse(new EscauxResponseException("ccHangup", "not XML").provesNotExecuted());
        assertTrue(VendorFailures.isTransient(new EscauxFaultException("dbSetProfile", "5", "sync failed", true)));
        assertEquals(SinkFailure.PERMANENT, SinkFailure.of(new RuntimeException(fault)));
    }

    @Test
    void ioKindTellsNotSentFromOutcomeUnknown() {
        // nothing written: refused, no connection in time, no free pooled connection, TLS handshake refused
        for (IOException notSent : new IOException[] { new ConnectException("refused"),
                new org.apache.hc.client5.http.HttpHostConnectException("refused"),
                new org.apache.hc.client5.http.ConnectTimeoutException("connect timed out"),
                new org.apache.hc.core5.http.ConnectionRequestTimeoutException("pool"),
                new javax.net.ssl.SSLHandshakeException("PKIX path building failed"),
                new java.net.UnknownHostException("sop.invalid") }) {
            assertEquals(VendorException.Kind.UNREACHABLE, VendorFailures.ioKind(notSent), notSent.toString());
        }
        // written, no answer: a read timeout (a ConnectTimeoutException is one too), closed without a reply, reset
        for (IOException unknown : new IOException[] { new SocketTimeoutException("Read timed out"),
                new org.apache.hc.core5.http.NoHttpResponseException("failed to respond"),
                new java.net.SocketException("Connection reset"),
                new javax.net.ssl.SSLException("closed during the exchange") }) {
            assertEquals(VendorException.Kind.NO_ANSWER, VendorFailures.ioKind(unknown), unknown.toString());
        }
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://localhost/x", status, "status " + status, null, null, null);
    }
}
