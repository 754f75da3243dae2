package io.pbxbridge.mor;

import java.util.ArrayList;
import java.util.List;

/**
 * A page read by {@link MorXmlReader}: its root element and the repairs made to read it. The mapping of the page to
 * its typed result reads lists through {@link #items}, which also reports a list that holds only an ellipsis.
 */
final class MorDocument {

    private final MorElement root;
    private final MorRepairs repairs;

    MorDocument(MorElement root, MorRepairs repairs) {
        this.root = root;
        this.repairs = repairs;
    }

    MorElement root() {
        return root;
    }

    /** Masks these values in the repairs' samples (the client's secrets). */
    void mask(List<String> secrets) {
        repairs.mask(secrets);
    }

    /** The repairs, those found while mapping included. */
    List<MorRepair> repairs() {
        return repairs.list();
    }

    /**
     * The {@code item} children of {@code parent}'s {@code container} (none when it is absent). A container with no
     * items but text ({@code <calls>...........</calls>}) holds a banner: reported, and read as empty.
     */
    List<MorElement> items(MorElement parent, String container, String item) {
        MorElement c = parent == null ? null : parent.child(container);
        if (c == null) {
            return List.of();
        }
        banner(c);
        return c.children(item);
    }

    /** The {@code item} children of {@code container} itself. */
    List<MorElement> items(MorElement container, String item) {
        if (container == null) {
            return List.of();
        }
        banner(container);
        return container.children(item);
    }

    /** Reports a list container whose only content is banner text. */
    void banner(MorElement container) {
        if (!container.hadChildren && container.bannerLine > 0) {
            repairs.add(MorRepair.Kind.BANNER, container.bannerLine, container.bannerColumn, container.text());
            container.bannerLine = 0;
        }
    }

    /** The elements at {@code path} below the root ({@code calls_stat/calls/call}). */
    List<MorElement> path(String... path) {
        List<MorElement> level = List.of(root);
        for (int i = 0; i < path.length; i++) {
            List<MorElement> next = new ArrayList<>();
            for (MorElement e : level) {
                if (i == path.length - 1) {
                    banner(e);
                }
                next.addAll(e.children(path[i]));
            }
            level = next;
        }
        return level;
    }
}
