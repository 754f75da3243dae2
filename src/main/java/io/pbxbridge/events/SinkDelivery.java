package io.pbxbridge.events;

import java.util.List;

/**
 * How a {@link SinkGuard} hands its events to the sink. A delivery is given events in order and reports what
 * became of each, so the guard can acknowledge exactly what the sink took and never send that again.
 */
interface SinkDelivery {

    /**
     * Delivers {@code events} in order into {@code outcome}: for each event tried, {@code null} when the sink took
     * it, else its failure. Returns how many were tried (a prefix); the rest were not offered to the sink, because
     * one failed in a way that holds up the events behind it (the sink is down or gone) or the guard is stopping.
     */
    int deliver(List<Outbound> events, Throwable[] outcome) throws InterruptedException;

    /**
     * An event to deliver with its structured JSON, as its spool holds it (written once, used by every step). Read
     * back from a spool, {@code event} may be its envelope only ({@code data} null, see
     * {@link CloudEvents#envelopeOf}): {@link #whole} binds the rest when a delivery needs it.
     */
    record Outbound(CloudEvent event, byte[] json) {

        CloudEvent whole() {
            if (event.data() != null || json == null) {
                return event;
            }
            try {
                return io.pbxbridge.support.Json.MAPPER.readValue(json, CloudEvent.class);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("event " + event.id() + " cannot be read back: " + e.getMessage(), e);
            }
        }
    }

    /** Gives up what is under way at a stop, waiting at most {@code millis}; what was not confirmed is re-sent. */
    default void close(long millis) {
    }
}
