package io.pbxbridge.mor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An element of a MOR page as {@link MorXmlReader} read it: a name, the trimmed text of a leaf, the child elements
 * of a record or list, and attributes, which MOR writes only in the CLIs page ({@code <device id="1">}) and which
 * {@link #field} reads as the fields of the same name. Text between child elements (banners) is not kept.
 */
final class MorElement {

    final String name;
    private String text;
    private StringBuilder moreText;
    private Map<String, String> attributes;
    private List<MorElement> children;
    /** Whether child elements were seen (they may have been streamed away rather than kept). */
    boolean hadChildren;
    /** In a run of banner text already reported. */
    boolean inBanner;
    /** Where a leaf's text that looks like a banner ({@code .....}) starts; 0 when it does not. */
    int bannerLine;
    int bannerColumn;

    MorElement(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    /** The trimmed text; "" when there is none (a container's text is banners, never kept). */
    String text() {
        return text == null ? "" : text;
    }

    /** The child elements, in order. */
    List<MorElement> children() {
        return children == null ? List.of() : children;
    }

    /** The children named {@code name}, in order. */
    List<MorElement> children(String name) {
        if (children == null) {
            return List.of();
        }
        List<MorElement> out = new ArrayList<>();
        for (MorElement c : children) {
            if (c.name.equals(name)) {
                out.add(c);
            }
        }
        return out;
    }

    /** The first child named {@code name}, or null. */
    MorElement child(String name) {
        if (children != null) {
            for (int i = 0, n = children.size(); i < n; i++) {
                MorElement c = children.get(i);
                if (c.name.equals(name)) {
                    return c;
                }
            }
        }
        return null;
    }

    /**
     * The text of the first child named {@code name}, else the attribute {@code name} (the attribute form), else
     * null: "" for an empty element.
     */
    String field(String name) {
        MorElement c = child(name);
        if (c != null) {
            return c.text();
        }
        return attributes == null ? null : attributes.get(name);
    }

    /** {@link #field} of the first name present. */
    String field(String name, String alternative) {
        String v = field(name);
        return v != null ? v : field(alternative);
    }

    String attribute(String name) {
        return attributes == null ? null : attributes.get(name);
    }

    boolean hasAttributes() {
        return attributes != null;
    }

    // ---- building (MorXmlReader) ------------------------------------------------------------------------------

    void attribute(String name, String value) {
        if (attributes == null) {
            attributes = new LinkedHashMap<>(4);
        }
        attributes.put(name, value.strip());
    }

    void appendText(char[] chars, int start, int length) {
        if (text == null) {
            text = new String(chars, start, length);
        } else {
            if (moreText == null) {
                moreText = new StringBuilder(text);
            }
            moreText.append(chars, start, length);
        }
    }

    /** The text so far, untrimmed (null when none). */
    String rawText() {
        return moreText != null ? moreText.toString() : text;
    }

    void clearText() {
        text = null;
        moreText = null;
    }

    /** At the end tag: the text trimmed, or dropped for an element that had children. */
    void endText() {
        if (hadChildren) {
            clearText();
            return;
        }
        String t = rawText();
        moreText = null;
        text = t == null ? null : t.strip();
    }

    void add(MorElement child) {
        if (children == null) {
            children = new ArrayList<>(8);
        }
        children.add(child);
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
