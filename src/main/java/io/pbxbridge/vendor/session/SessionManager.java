package io.pbxbridge.vendor.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.SecretMasking;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;

/**
 * The sessions of a component's vendor (PortaSIP {@code session_id}, MOR cookie, METASEC {@code SID}): one per
 * {@link SessionKey} (address and account), shared by every endpoint, logged in on first use. Thread-safe.
 * <p>
 * When a call fails and the vendor's {@link SessionExpiryDetector} says its session expired, the session is renewed
 * once for all the calls that used it: one login, whatever the number of calls that failed with it at the same time
 * (they wait for it; a call that failed with an older session than the current one uses the current one). Then the
 * request is sent once more, with the new session, when it is safe to repeat or the reply proved it was not carried
 * out; otherwise its failure is thrown (a request that changes state is never sent twice on a guess) and the next
 * call logs in. A request is retried at most once: if it fails again with an expired session, that failure is thrown.
 * A failing login is thrown to every call waiting for it, never retried here.
 * <p>
 * Session values never reach the log or a message: a {@link Session}'s {@code toString} is masked, and vendors'
 * values should be too ({@link SessionToken}).
 */
public final class SessionManager<V> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    private final String vendor;
    private final SessionExpiryDetector detector;
    private final SessionLogout<V> logout;
    private final Map<SessionKey, Slot> slots = new ConcurrentHashMap<>();

    /**
     * @param vendor   the component's scheme, for logs
     * @param detector tells an expired session from other failures
     * @param logout   ends a session when the component stops ({@link SessionLogout#none()} if the vendor has none)
     */
    public SessionManager(String vendor, SessionExpiryDetector detector, SessionLogout<V> logout) {
        this.vendor = Objects.requireNonNull(vendor, "vendor");
        this.detector = Objects.requireNonNull(detector, "detector");
        this.logout = Objects.requireNonNull(logout, "logout");
    }

    /**
     * Makes {@code call} with the session of {@code key}, logging in with {@code login} when there is none, and
     * again once if the session expired (see the class comment).
     *
     * @param safeToRepeat whether sending the request twice does no harm (a read); false for one that changes state,
     *                     which is then sent again only when the reply proved it was not carried out
     */
    public <T> T call(SessionKey key, SessionLogin<V> login, boolean safeToRepeat, SessionCall<V, T> call) {
        Slot slot = slots.computeIfAbsent(key, Slot::new);
        Session<V> session = slot.current(login, 0);
        try {
            return call.call(session.value());
        } catch (VendorException failure) {
            SessionExpiry expiry = detector.classify(failure);
            if (expiry == SessionExpiry.NOT_EXPIRED) {
                throw failure;
            }
            if (expiry == SessionExpiry.EXPIRED_OUTCOME_UNKNOWN && !safeToRepeat) {
                LOG.debug("{}: session {} of {} expired; {} not sent again (outcome unknown)", vendor,
                        session.generation(), key, failure.getOperation());
                slot.expire(session.generation());
                throw failure;
            }
            LOG.debug("{}: session {} of {} expired ({}); {} sent again with a new one", vendor,
                    session.generation(), key, expiry, failure.getOperation());
            Session<V> renewed = slot.current(login, session.generation());
            try {
                return call.call(renewed.value());
            } catch (VendorException again) {
                if (detector.classify(again) != SessionExpiry.NOT_EXPIRED) {
                    slot.expire(renewed.generation()); // not once more here: the next call logs in
                }
                throw again;
            }
        }
    }

    /**
     * Logs the session of {@code key} out, if there is one, and forgets it: the next call logs in again. Unlike
     * {@link #logoutAll()}, a failure is thrown (a user asked for this logout).
     *
     * @return whether there was a session to end
     */
    public boolean logout(SessionKey key) throws Exception {
        Slot slot = slots.get(key);
        Session<V> s = slot == null ? null : slot.take();
        if (s == null) {
            return false;
        }
        logout.logout(key, s.value());
        LOG.debug("{}: logged out {}", vendor, key);
        return true;
    }

    /** Logs every session out (best effort: a failure is logged) and forgets them; later calls log in again. */
    public void logoutAll() {
        List<Map.Entry<SessionKey, Session<V>>> ended = new ArrayList<>();
        for (Slot slot : slots.values()) {
            Session<V> s = slot.take();
            if (s != null) {
                ended.add(Map.entry(slot.key, s));
            }
        }
        for (Map.Entry<SessionKey, Session<V>> e : ended) {
            try {
                logout.logout(e.getKey(), e.getValue().value());
                LOG.debug("{}: logged out {}", vendor, e.getKey());
            } catch (Exception ex) {
                LOG.warn("{}: logging out {} failed: {}", vendor, e.getKey(), VendorFailures.rootMessage(ex));
            }
        }
    }

    /** {@link #logoutAll()}. */
    @Override
    public void close() {
        logoutAll();
    }

    /** A session value and its generation (1 for the first login of a key, then 2...). */
    record Session<T>(long generation, T value) {

        @Override
        public String toString() {
            return "Session[generation=" + generation + ", value=" + SecretMasking.MASK + "]";
        }
    }

    /** The session of one key and the login in flight, if any. */
    private final class Slot {

        final SessionKey key;
        private Session<V> session;
        private CompletableFuture<Session<V>> login;
        private long generations;

        Slot(SessionKey key) {
            this.key = key;
        }

        /**
         * The session, newer than generation {@code stale} (0: any): the current one, or the one of the login in
         * flight, or the one of a login made here (only one at a time; the others wait for it).
         */
        Session<V> current(SessionLogin<V> loginFunction, long stale) {
            CompletableFuture<Session<V>> flight;
            boolean mine = false;
            synchronized (this) {
                if (session != null && session.generation() > stale) {
                    return session;
                }
                if (login == null) {
                    session = null; // calls starting now wait for the new one rather than fail with this one
                    login = new CompletableFuture<>();
                    mine = true;
                }
                flight = login;
            }
            return mine ? login(loginFunction, flight) : join(flight);
        }

        private Session<V> login(SessionLogin<V> loginFunction, CompletableFuture<Session<V>> flight) {
            try {
                V value = Objects.requireNonNull(loginFunction.login(key), "the login returned no session");
                Session<V> s;
                synchronized (this) {
                    s = new Session<>(++generations, value);
                    session = s;
                    login = null;
                }
                LOG.debug("{}: logged in {} (session {})", vendor, key, s.generation());
                flight.complete(s);
                return s;
            } catch (RuntimeException | Error e) {
                synchronized (this) {
                    login = null;
                }
                flight.completeExceptionally(e);
                throw e;
            }
        }

        private Session<V> join(CompletableFuture<Session<V>> flight) {
            try {
                return flight.join();
            } catch (CompletionException e) {
                // the login's own failure, as the call that made it got it
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                if (e.getCause() instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }

        /** Forgets session {@code generation} if it is still the current one: the next call logs in. */
        synchronized void expire(long generation) {
            if (session != null && session.generation() == generation) {
                session = null;
            }
        }

        /** The current session, forgotten. */
        synchronized Session<V> take() {
            Session<V> s = session;
            session = null;
            return s;
        }
    }
}
