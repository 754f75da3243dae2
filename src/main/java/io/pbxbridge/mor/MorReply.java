package io.pbxbridge.mor;

import java.util.List;

/**
 * What every page and action of MOR is read as: a typed record with the repairs the tolerant reader made to read it
 * (empty for a well-formed page). The producer also sets them in the {@code CamelMorRepairs} header.
 */
public interface MorReply {

    List<MorRepair> repairs();
}
