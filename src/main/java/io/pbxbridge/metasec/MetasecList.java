package io.pbxbridge.metasec;

import java.util.Iterator;
import java.util.List;

/**
 * A list the WebTAPI answered, one row per line: the lines read ({@link #rows()}, in the server's order) and the lines
 * that could not be read ({@link #malformed()}, as they came, for a PHP notice or a line cut short among good ones).
 * A list with malformed lines is not {@link #complete()}: a poller diffing two snapshots must not take a row missing
 * from an incomplete one as gone.
 */
public record MetasecList<T>(List<T> rows, List<String> malformed) implements Iterable<T> {

    public MetasecList {
        rows = List.copyOf(rows);
        malformed = List.copyOf(malformed);
    }

    /** True when every line was read. */
    public boolean complete() {
        return malformed.isEmpty();
    }

    public int size() {
        return rows.size();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    public T get(int i) {
        return rows.get(i);
    }

    @Override
    public Iterator<T> iterator() {
        return rows.iterator();
    }
}
