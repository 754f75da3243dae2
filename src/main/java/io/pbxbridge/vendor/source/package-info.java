/**
 * What every vendor event source needs, whatever its transport (a TCP stream, a WebSocket, polling), so a vendor's
 * consumer only frames and parses its input:
 * <ul>
 * <li>{@link io.pbxbridge.vendor.source.Reconnector} with a {@link io.pbxbridge.vendor.source.Backoff}: keeps a
 * pushed source connected, also when the server is down at start (a poller backs off with the {@code Backoff}
 * alone);</li>
 * <li>{@link io.pbxbridge.vendor.source.LivenessCheck}: the vendor's probe (Escaux {@code ccPing}, a JSON-RPC ping)
 * and its answer, so a connection that only looks open is replaced;</li>
 * <li>{@link io.pbxbridge.vendor.source.KeyOrderedDispatcher}: the parsed events to the route, on the reader's
 * thread or on N workers, each call's events in order, in natural batches, with back-pressure;</li>
 * <li>{@link io.pbxbridge.vendor.source.UnreadableInputDeadLetter}: input that is no event, to the dead-letter
 * endpoint, counted, never logged.</li>
 * </ul>
 * A pushed source's reader calls, for each read: {@code liveness.readStarted()}, {@code dispatcher.offer(event)} per
 * event (or {@code deadLetter.reject(...)}), then {@code dispatcher.endOfRead()} and
 * {@code liveness.readFinished(eventsRead)}; its connection reports {@code connected()} and {@code disconnected()}
 * to the reconnector (and {@code connected()} to the liveness check). {@code escaux:events} is the example.
 */
package io.pbxbridge.vendor.source;
