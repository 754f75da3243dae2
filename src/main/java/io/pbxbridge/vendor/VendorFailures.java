package io.pbxbridge.vendor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * The one place that decides whether a failure is worth trying again: vendor calls, sink deliveries and pollers all
 * classify through it, so a timeout or an HTTP 503 means the same everywhere.
 */
public final class VendorFailures {

    private VendorFailures() {
    }

    /**
     * Transient: connection refused, reset or dropped, timeouts, HTTP 5xx, 408 and 429, a Kafka client or cluster
     * problem, a mail server that does not answer. Permanent: vendor refusals, other 4xx, malformed replies, a record
     * Kafka rejects whatever its state, anything unknown.
     */
    public static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof VendorException v) {
                return v.isTransient();
            }
            Integer status = httpStatus(t);
            if (status != null) {
                return isTransientStatus(status);
            }
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.SerializationException
                    || t instanceof org.apache.kafka.common.InvalidRecordException) {
                return false; // this record, whatever the broker's state
            }
            if (t instanceof org.apache.kafka.common.KafkaException) {
                return true; // the client or the cluster (closed, unauthorized, fenced): the sink, not the record
            }
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof InterruptedException
                    || t instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException
                    || t.getClass().getName().startsWith("jakarta.mail.")) {
                return true;
            }
        }
        return false;
    }

    /** 5xx, 408 (request timeout) and 429 (too many requests) may pass; other statuses will not. */
    public static boolean isTransientStatus(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The HTTP status a failure carries (camel-http's exception), or null. */
    public static Integer httpStatus(Throwable t) {
        return t instanceof HttpOperationFailedException http ? http.getStatusCode() : null;
    }

    /** The HTTP status found anywhere in the cause chain, or null. */
    public static Integer findHttpStatus(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            Integer status = httpStatus(t);
            if (status != null) {
                return status;
            }
        }
        return null;
    }

    /**
     * What an I/O failure says about a request: {@link VendorException.Kind#UNREACHABLE} when no connection was made
     * (so nothing was sent), {@link VendorException.Kind#NO_ANSWER} otherwise.
     * <p>
     * Nothing was sent when the connection was refused ({@link ConnectException}, Apache HttpClient's
     * {@code HttpHostConnectException} included), the name did not resolve, there was no route, the connection did
     * not open in time (Apache's {@code ConnectTimeoutException}, the JDK's {@code HttpConnectTimeoutException}), no
     * pooled connection became free in time ({@code ConnectionRequestTimeoutException}) or the TLS handshake failed
     * (the request is written after it). A read timeout, a reset or a connection closed without an answer
     * ({@code NoHttpResponseException}) come after the request was written: outcome unknown.
     */
    public static VendorException.Kind ioKind(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof NoRouteToHostException || t instanceof java.net.http.HttpConnectTimeoutException
                    || t instanceof org.apache.hc.client5.http.ConnectTimeoutException
                    || t instanceof org.apache.hc.core5.http.ConnectionRequestTimeoutException
                    || t instanceof javax.net.ssl.SSLHandshakeException) {
                return VendorException.Kind.UNREACHABLE;
            }
        }
        return VendorException.Kind.NO_ANSWER;
    }

    /** The innermost message of a failure, with the outer one when it says more; never null. */
    public static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
        if (root != t && t.getMessage() != null && !t.getMessage().equals(m)) {
            m = t.getMessage() + " (" + root.getClass().getSimpleName() + (root.getMessage() != null ? ": " + m : "")
                    + ")";
        }
        return m;
    }
}
