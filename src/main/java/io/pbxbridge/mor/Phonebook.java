package io.pbxbridge.mor;

import java.time.LocalDateTime;
import java.util.List;

/** {@code mor:phonebook} ({@code GET /phonebooks/list/%userid%}). */
public record Phonebook(String userId, List<Entry> entries, List<MorRepair> repairs) implements MorReply {

    /**
     * @param id the entry's id for {@code mor:deletePhonebookEntry}, when the page gives one ({@code <entry_id>} or
     *           an {@code id} attribute; the spec's sample has none); else null
     */
    public record Entry(String id, String number, String name, LocalDateTime added) {
    }
}
