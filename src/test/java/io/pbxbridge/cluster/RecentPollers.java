package io.pbxbridge.cluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

import io.pbxbridge.sandbox.metasec.MetasecSimulator;

/**
 * How many instances (each logged in to the METASEC simulator as a user of its own) sent a poll within the last
 * {@code window}: 1 while one instance polls, 2 or more if several poll at once. The window is a few poll intervals,
 * much shorter than a takeover, so a killed leader's last polls never overlap its successor's first.
 */
final class RecentPollers implements IntSupplier {

    private final MetasecSimulator metasec;
    private final String action;
    private final List<String> users;
    private final long windowNanos;
    private final Map<String, Integer> counts = new HashMap<>();
    private final Map<String, Long> lastPoll = new HashMap<>();

    RecentPollers(MetasecSimulator metasec, String action, List<String> users, Duration window) {
        this.metasec = metasec;
        this.action = action;
        this.users = List.copyOf(users);
        this.windowNanos = window.toNanos();
    }

    @Override
    public synchronized int getAsInt() {
        long now = System.nanoTime();
        int n = 0;
        for (String user : users) {
            int c = metasec.requestCount(action, user);
            if (c != counts.getOrDefault(user, 0)) {
                counts.put(user, c);
                lastPoll.put(user, now);
            }
            Long last = lastPoll.get(user);
            if (last != null && now - last <= windowNanos) {
                n++;
            }
        }
        return n;
    }
}
