package io.pbxbridge.vendor.session;

import java.util.Objects;

import io.pbxbridge.support.SecretMasking;

/**
 * A session value that is a string (PortaSIP's {@code session_id}, METASEC's {@code SID}, a cookie): its
 * {@link #toString()} is masked, so logging a request's arguments or a session never shows it. A vendor whose
 * session is more than a string uses a type of its own, masked the same way.
 */
public final class SessionToken {

    private final String value;

    public SessionToken(String value) {
        this.value = Objects.requireNonNull(value, "value");
    }

    /** The secret itself, to send; never to log. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionToken t && t.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "SessionToken[" + SecretMasking.MASK + "]";
    }
}
