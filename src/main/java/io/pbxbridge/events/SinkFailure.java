package io.pbxbridge.events;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.apache.camel.http.base.HttpOperationFailedException;

/** How a failed delivery is treated: retried and spooled, dead-lettered, or the end of the subscription. */
public enum SinkFailure {
    /** Connection problems, timeouts, HTTP 5xx/408/429: retry, then spool and replay. */
    TRANSIENT,
    /** The sink refused this event (HTTP 4xx, a malformed address): dead letter at once. */
    PERMANENT,
    /** HTTP 410 Gone: the receiver ended the subscription; it is disabled. */
    GONE;

    public static SinkFailure of(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                int status = http.getStatusCode();
                if (status == 410) {
                    return GONE;
                }
                return status >= 500 || status == 408 || status == 429 ? TRANSIENT : PERMANENT;
            }
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException
                    || t instanceof org.apache.kafka.common.errors.SerializationException
                    || t instanceof org.apache.kafka.common.InvalidRecordException) {
                return PERMANENT; // this record, whatever the broker's state
            }
            if (t instanceof org.apache.kafka.common.KafkaException) {
                return TRANSIENT; // the client or the cluster (closed, unauthorized, fenced): the sink, not the record
            }
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof InterruptedException
                    || t instanceof org.apache.camel.component.direct.DirectConsumerNotAvailableException
                    || t.getClass().getName().startsWith("jakarta.mail.")) {
                return TRANSIENT;
            }
        }
        return PERMANENT;
    }
}
