package io.pbxbridge.vendor.session;

/** Ends a session at the vendor; best effort, when the component stops. */
@FunctionalInterface
public interface SessionLogout<V> {

    /** Does nothing: for vendors without a logout (or whose sessions simply expire). */
    static <V> SessionLogout<V> none() {
        return (key, session) -> {
        };
    }

    void logout(SessionKey key, V session) throws Exception;
}
