package io.pbxbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.sandbox.metasec.MetasecSimulator;
import io.pbxbridge.support.Await;

/**
 * Three instances started together on the file cluster service, two sources: Escaux's event socket (the simulator
 * counts connections) and METASEC's polled events (the simulator counts each instance's polls, every instance logged
 * in as a user of its own). Each source is consumed by exactly one instance from the start; the leaders are killed
 * ({@code kill -9}) in rounds while more than one instance runs, and each source is taken over once, by one of the
 * others, within the bound EventsFailoverTest states.
 */
class ThreeInstancesTest {

    static final Duration TAKEOVER_BOUND = EventsFailoverTest.TAKEOVER_BOUND;
    static final Duration WAIT = Duration.ofSeconds(90);
    static final Duration POLL_INTERVAL = Duration.ofMillis(300);
    static final String ESCAUX = "source-escaux";
    static final String METASEC = "source-metasec";
    static final String POLL = "call_list_all";

    @TempDir
    Path tmp;
    MetasecSimulator metasec;

    @Test
    void eachSourceOnOneInstanceFromTheStartAndTakenOverOnceAfterEachKill() throws Exception {
        try (ClusterInstances cluster = new ClusterInstances(tmp)) {
            run(cluster, cluster.startEscaux());
        }
    }

    private void run(ClusterInstances cluster, EscauxSimulator escaux) throws Exception {
        List<String> names = List.of("a", "b", "c");
        MetasecSimulator.Builder mb = MetasecSimulator.builder().port(0).callTrickle(Duration.ofSeconds(1));
        names.forEach(n -> mb.user(n, ClusterInstances.METASEC_PASSWORD));
        metasec = cluster.own(mb.build().start());
        cluster.withMetasec(metasec, POLL_INTERVAL);
        List<Instance> all = names.stream().map(cluster::instance).toList();
        RecentPollers pollers = new RecentPollers(metasec, POLL, names, POLL_INTERVAL.multipliedBy(4));
        Map<String, List<Long>> takeovers = new LinkedHashMap<>(Map.of(ESCAUX, new ArrayList<>(), METASEC,
                new ArrayList<>()));
        List<String> rounds = new ArrayList<>();
        try (MostAtOnce sockets = MostAtOnce.watch(escaux::eventClients);
                MostAtOnce polling = MostAtOnce.watch(pollers);
                Trickle trickle = Trickle.start(escaux, "three", 20)) {
            all.forEach(ThreeInstancesTest::start);
            cluster.awaitOneLeader(ESCAUX, escaux::eventClients, WAIT);
            cluster.awaitOneLeader(METASEC, pollers, WAIT);
            Thread.sleep(3000); // the sources consumed a while by the instances started together

            while (true) {
                List<Instance> running = all.stream().filter(Instance::running).toList();
                Set<Instance> leaders = new LinkedHashSet<>(cluster.leaders(ESCAUX));
                leaders.addAll(cluster.leaders(METASEC));
                if (leaders.size() >= running.size()) {
                    break; // killing them would leave nobody to take over
                }
                Map<String, Integer> pollsBefore = pollsByUser(names);
                int connectionsBefore = escaux.eventConnections();
                long killed = System.nanoTime();
                for (Instance leader : leaders) {
                    leader.kill();
                }
                rounds.add("killed " + leaders + " of " + running);
                long[] escauxAt = { 0 };
                long[] metasecAt = { 0 };
                Await.until(WAIT, "both sources taken over", () -> {
                    if (escauxAt[0] == 0 && escaux.eventConnections() > connectionsBefore
                            && escaux.eventClients() == 1) {
                        escauxAt[0] = millisSince(killed);
                    }
                    if (metasecAt[0] == 0 && !pollersSince(pollsBefore, leaders).isEmpty()) {
                        metasecAt[0] = millisSince(killed);
                    }
                    return escauxAt[0] > 0 && metasecAt[0] > 0;
                });
                takeovers.get(ESCAUX).add(escauxAt[0]);
                takeovers.get(METASEC).add(metasecAt[0]);
                cluster.awaitOneLeader(ESCAUX, escaux::eventClients, WAIT);
                cluster.awaitOneLeader(METASEC, pollers, WAIT);
                Thread.sleep(2000);
                // taken over once: one new connection, one new poller
                assertEquals(connectionsBefore + 1, escaux.eventConnections(), "one new Escaux connection");
                Set<String> newPollers = pollersSince(pollsBefore, leaders);
                assertEquals(1, newPollers.size(), "one instance polls METASEC after the kill: " + newPollers);
                assertEquals(List.of(newPollers.iterator().next()), cluster.leaderNames(METASEC),
                        "the instance that polls says it leads");
            }
            System.out.printf("three instances: %s; takeovers (ms) %s; most Escaux sockets at once %d, most METASEC "
                    + "pollers at once %d; polls by instance %s; %d events written%n", rounds, takeovers,
                    sockets.most(), polling.most(), pollsByUser(names), trickle.emitted());
            assertEquals(1, sockets.most(), "never two instances on the Escaux event stream");
            assertEquals(1, polling.most(), "never two instances polling METASEC");
        }
        assertTrue(!rounds.isEmpty(), "at least one round of kills");
        takeovers.forEach((source, times) -> times.forEach(t -> assertTrue(t < TAKEOVER_BOUND.toMillis(),
                source + " taken over within " + TAKEOVER_BOUND + ": " + takeovers)));
    }

    private static void start(Instance i) {
        try {
            i.start();
        } catch (Exception e) {
            throw new AssertionError("cannot start " + i, e);
        }
    }

    private Map<String, Integer> pollsByUser(List<String> users) {
        Map<String, Integer> polls = new LinkedHashMap<>();
        users.forEach(u -> polls.put(u, metasec.requestCount(POLL, u)));
        return polls;
    }

    /** The instances, other than the killed ones, whose polls went up since {@code before}. */
    private Set<String> pollersSince(Map<String, Integer> before, Set<Instance> killed) {
        Set<String> answer = new LinkedHashSet<>();
        before.forEach((user, n) -> {
            if (killed.stream().noneMatch(k -> k.name.equals(user)) && metasec.requestCount(POLL, user) > n) {
                answer.add(user);
            }
        });
        return answer;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
