package io.pbxbridge.mor;

/**
 * One kind of fault the tolerant reader ({@link MorXmlReader}) repaired in a page: what it was, how many times, where
 * it was first seen (line and column of the page as MOR sent it, 1-based) and what it looked like there. Samples are
 * the faulty characters only (e.g. {@code & quot;}, {@code <<}), or the first characters of a banner: never the
 * surrounding values, which may be secrets (the devices page holds SIP passwords).
 *
 * @param kind   what was wrong and what was done about it
 * @param count  how many times it was found in the page
 * @param line   line of the first occurrence
 * @param column column of the first occurrence
 * @param sample the first occurrence's faulty text
 */
public record MorRepair(Kind kind, int count, int line, int column, String sample) {

    /** The faults the reader knows: the spec's own broken samples (VENDORS.md §2g) and their close relatives. */
    public enum Kind {
        /** {@code <?xml version="1.0" encoding="utf-8">}: the closing {@code ?} is added. */
        DECLARATION_WITHOUT_QUESTION_MARK("XML declaration without its closing '?', added"),
        /** Whitespace or text before {@code <?xml ...?>}, which must come first: dropped. */
        TEXT_BEFORE_DECLARATION("text before the XML declaration, dropped"),
        /** Text (a banner, a warning) before the root element or after it: dropped. */
        TEXT_OUTSIDE_ROOT("text outside the root element, dropped"),
        /** A {@code <!DOCTYPE ...>}: dropped unread (no DTD, no entity is ever resolved). */
        DOCTYPE("DOCTYPE, dropped unread"),
        /** {@code & quot;}, {@code & lt;}, {@code & gt;}, {@code & amp;}, {@code & apos;}: the spaces are removed. */
        ENTITY_WITH_SPACE("entity written with a space after '&', space removed"),
        /**
         * An {@code &} that starts no XML entity or character reference ({@code AT&T}, {@code &nbsp;}): escaped, so it
         * reads as the text it is (entities other than XML's five are never resolved).
         */
        BARE_AMPERSAND("'&' that starts no XML entity, read as text"),
        /** {@code <<processed>}: the first {@code <} is dropped. */
        DOUBLED_LESS_THAN("doubled '<', one dropped"),
        /** A {@code <} that starts no tag ({@code a < b}, {@code <* x />}): read as text. */
        STRAY_LESS_THAN("'<' that starts no tag, read as text"),
        /** {@code <device id=1>}: the value is quoted. */
        UNQUOTED_ATTRIBUTE("attribute value without quotes, quoted"),
        /** A control character XML does not allow (NUL, ESC, ...): dropped. */
        INVALID_CHARACTER("character XML does not allow, dropped"),
        /**
         * Text between elements: the spec's {@code ++++++++} and {@code + Forward action} banners, {@code .....}
         * ellipses, in lists and records whose content is elements: ignored.
         */
        BANNER("text between elements (a banner or an ellipsis), ignored"),
        /**
         * {@code <device id="1">IAX2/101</device>} (the CLIs page) where MOR otherwise writes elements: the attributes
         * are read as the fields of the same name and the element's text as its value.
         */
        ATTRIBUTE_FORM("attributes where MOR writes elements, read as fields");

        private final String description;

        Kind(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /** E.g. {@code entity written with a space after '&', space removed: '& quot;' x4, first at line 12, column 6}. */
    @Override
    public String toString() {
        return kind.description() + ": '" + sample + "'" + (count > 1 ? " x" + count : "") + ", "
                + (count > 1 ? "first " : "") + "at line " + line + ", column " + column;
    }
}
