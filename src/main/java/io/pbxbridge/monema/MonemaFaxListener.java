package io.pbxbridge.monema;

import org.apache.camel.Exchange;

/** Follows a {@code monema:fax} call step by step, e.g. to persist a job's progress before the next step. */
public interface MonemaFaxListener {

    /** Called as each attempt (first call or redelivery) begins, before anything is checked or sent. */
    default void started(Exchange exchange) {
    }

    default void uploadStarted(Exchange exchange, String sessionId, String modem) {
    }

    default void chunkUploaded(Exchange exchange, String sessionId, long bytes, int chunks) {
    }

    default void uploaded(Exchange exchange, String sessionId, long bytes, int chunks) {
    }

    /** Called right before {@code C_sendFax}: from here on a retry could fax the document twice. */
    default void sending(Exchange exchange, String sessionId) {
    }

    default void sent(Exchange exchange, FaxResult result) {
    }
}
