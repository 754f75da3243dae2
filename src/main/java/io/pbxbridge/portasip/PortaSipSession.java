package io.pbxbridge.portasip;

import io.pbxbridge.vendor.session.SessionToken;

/**
 * The reply of {@code portasip:login}: a session of the caller's own (the component's managed session is never
 * handed out). Its id is a {@link SessionToken}, masked when printed; end the session with {@code portasip:logout}
 * and the {@code sessionId} input.
 */
public record PortaSipSession(SessionToken sessionId) {
}
