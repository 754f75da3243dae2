package io.pbxbridge.metasec;

/** The WebTAPI refused the login ({@code 0}): wrong user or password. Not transient. */
public class MetasecLoginException extends MetasecRefusedException {

    public MetasecLoginException(String user, String action) {
        super(action, "0", "the WebTAPI refused the login of user '" + user + "' (0: wrong user or password)",
                false);
    }
}
