package io.pbxbridge.model;

import java.time.Instant;
import java.util.List;

/**
 * What flows on the event stream ({@link CallEvent}, {@link FaxJob}, and whatever a vendor adds later): what the
 * CloudEvents envelope, the sequencing and the sink filters need, so none of them tests concrete types.
 */
public interface PbxEvent {

    String id();

    /** The vendor's scheme, e.g. {@code escaux}. */
    String vendor();

    /** e.g. {@code call.answered}, {@code fax.sent} (published as {@code pbx.<type>}). */
    String type();

    Instant timestamp();

    /** What the event is about, the CloudEvents {@code subject}: the call, the fax job. */
    String subject();

    /** Where it comes from within the vendor, the last part of the CloudEvents {@code source}. */
    String origin();

    /** The events that share this key are numbered in order (per call, per fax job). */
    default String sequenceKey() {
        return subject();
    }

    /** Calling numbers, for sink filters on {@code from}. */
    default List<String> callers() {
        return List.of();
    }

    /** Called numbers, for sink filters on {@code to}. */
    default List<String> called() {
        return List.of();
    }
}
