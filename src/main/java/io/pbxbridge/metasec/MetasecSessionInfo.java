package io.pbxbridge.metasec;

/** {@code metasec:login}'s result: which user holds a session with which server (never the session id). */
public record MetasecSessionInfo(String user, String url) {
}
