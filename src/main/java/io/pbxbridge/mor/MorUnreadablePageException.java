package io.pbxbridge.mor;

/**
 * A page MOR sent that the tolerant reader could not read even after its repairs (a document cut short, a tag left
 * open, a fault it does not know): names the page, the position (line and column of the page as sent) and what the
 * XML parser found there. Never quotes the page's text, which may hold secrets.
 */
public class MorUnreadablePageException extends MorResponseException {

    private final String page;
    private final int line;
    private final int column;
    private final String reason;

    public MorUnreadablePageException(String operation, String page, int line, int column, String reason,
                                      Throwable cause) {
        super(operation, "mor:" + operation + ": the page " + page + " cannot be read"
                + (line > 0 ? " at line " + line + ", column " + column : "") + ": " + reason, cause);
        this.page = page;
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    /** The page's path, e.g. {@code /stats/call_list}. */
    public String getPage() {
        return page;
    }

    /** Line in the page as MOR sent it (1-based); 0 when unknown. */
    public int getLine() {
        return line;
    }

    /** Column in the page as MOR sent it (1-based); 0 when unknown. */
    public int getColumn() {
        return column;
    }

    /** What the XML parser found. */
    public String getReason() {
        return reason;
    }
}
