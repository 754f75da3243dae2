package io.pbxbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;

/**
 * Two instances on ZooKeeper (Curator's in-process server) and one Escaux event stream: one socket at a time; a
 * {@code kill -9} of the leader, the other takes over once the dead leader's session has expired; ZooKeeper stopped,
 * the leader closes its socket at once, nobody consumes and both report the cluster DOWN until it is back, then
 * exactly one instance leads again; the leader alone cut off from ZooKeeper (each instance reaches it through a proxy
 * of its own), it stops before the other is elected; and a failover still works after all that (both stood for
 * election again).
 */
class ZooKeeperFailoverTest {

    /**
     * Shorter than the default 10 s to keep the test short; the bounds below follow it ({@code -Dzk.session=10}
     * measures the default).
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(Long.getLong("zk.session", 5));
    /** ZooKeeper checks expiries every tick; its default 3 s tick would raise a 5 s session to 6 s. */
    static final int TICK_MILLIS = 500;
    /** A dead leader's session expires {@link #SESSION_TIMEOUT} after it was last heard of, then its consumer starts. */
    static final Duration TAKEOVER_BOUND = SESSION_TIMEOUT.plusSeconds(5);
    static final Duration WAIT = Duration.ofSeconds(60);
    static final String ROUTE = "source-escaux";

    @TempDir
    Path tmp;

    @Test
    void oneLeaderThroughAKillAndAZooKeeperOutage() throws Exception {
        try (ClusterInstances cluster = new ClusterInstances(tmp)) {
            TestingServer zk = cluster.own(new TestingServer(new InstanceSpec(tmp.resolve("zk").toFile(), -1, -1, -1,
                    true, -1, TICK_MILLIS, -1), true));
            EscauxSimulator escaux = cluster.startEscaux();
            cluster.withZooKeeper(zk.getConnectString(), SESSION_TIMEOUT);
            Instance a = cluster.instance("a");
            Instance b = cluster.instance("b");
            Map<Instance, CutProxy> lines = new HashMap<>();
            for (Instance i : List.of(a, b)) {
                CutProxy line = cluster.own(new CutProxy(zk.getPort()));
                lines.put(i, line);
                i.own.put("cluster.zookeeper.nodes", "127.0.0.1:" + line.port());
            }
            List<Long> takeovers = new ArrayList<>();
            List<Integer> readinessDuringOutage = new ArrayList<>();
            try (MostAtOnce sockets = MostAtOnce.watch(escaux::eventClients);
                    Trickle trickle = Trickle.start(escaux, "zk", 20)) {
                a.start();
                b.start();
                Instance leader = cluster.awaitOneLeader(ROUTE, escaux::eventClients, WAIT);
                Instance standby = leader == a ? b : a;
                assertEquals("standby", routeState(standby), "the other instance's health");

                // the leader killed: its session expires, the standby's turn comes
                takeovers.add(killLeader(escaux, leader, standby));
                leader.start();
                Await.until(WAIT, leader + " back, ready, standing by", () -> leader.readiness() == 200
                        && "standby".equals(routeState(leader)));

                // ZooKeeper away: nobody can know whether it still leads, so nobody consumes
                long away = System.nanoTime();
                zk.stop();
                Await.until(WAIT, "the leader's socket closed", () -> escaux.eventClients() == 0);
                long stoppedLeading = millisSince(away);
                Thread.sleep(SESSION_TIMEOUT.multipliedBy(2).toMillis()); // the sessions are lost meanwhile
                assertEquals(0, escaux.eventClients(), "nobody on the event stream while ZooKeeper is away");
                assertEquals(List.of(), cluster.leaderNames(ROUTE), "nobody says it leads while ZooKeeper is away");
                for (Instance i : List.of(a, b)) {
                    readinessDuringOutage.add(i.readiness());
                    String message = i.clusterCheck().map(c -> c.path("message").asText()).orElse("");
                    assertTrue(message.contains("ZooKeeper") && message.contains("leads nothing"), i + ": " + message);
                }
                assertEquals(List.of(503, 503), readinessDuringOutage, "not ready while ZooKeeper is away");
                long back = System.nanoTime();
                zk.restart();
                cluster.awaitOneLeader(ROUTE, escaux::eventClients, WAIT);
                long resumed = millisSince(back);
                Thread.sleep(3000);
                assertEquals(1, cluster.leaders(ROUTE).size(), "still one leader: " + cluster.leaderNames(ROUTE));

                // the leader alone cut off from ZooKeeper: it stops leading when its connection is suspended (after
                // 2/3 of the session timeout without an answer), before its session expires and the other is elected
                Instance cutOff = cluster.leaders(ROUTE).get(0);
                Instance other = cutOff == a ? b : a;
                int connections = escaux.eventConnections();
                long cut = System.nanoTime();
                lines.get(cutOff).cut();
                Await.until(WAIT, cutOff + " closed its socket", () -> escaux.eventClients() == 0);
                long cutOffStopped = millisSince(cut);
                Await.until(WAIT, other + " on the event stream", () -> escaux.eventConnections() > connections
                        && escaux.eventClients() == 1);
                long otherTookOver = millisSince(cut);
                Await.until(WAIT, other + " says it leads", () -> other.leads(ROUTE));
                assertEquals(List.of(503, 200), List.of(cutOff.readiness(), other.readiness()),
                        "the instance cut off not ready, the other ready");
                lines.get(cutOff).heal();
                Await.until(WAIT, cutOff + " back, ready, standing by", () -> cutOff.readiness() == 200
                        && "standby".equals(routeState(cutOff)));

                // both still candidates after the outages: the leader killed, the other takes over
                takeovers.add(killLeader(escaux, other, cutOff));
                System.out.printf("zookeeper (session timeout %d ms): takeovers after kill -9 %s ms; ZooKeeper "
                        + "stopped: the leader closed its socket after %d ms, readiness during the outage %s; "
                        + "ZooKeeper back: one leader after %d ms; the leader alone cut off: it closed its socket "
                        + "after %d ms, the other took over after %d ms; most sockets at once %d; %d events "
                        + "written%n", SESSION_TIMEOUT.toMillis(), takeovers, stoppedLeading, readinessDuringOutage,
                        resumed, cutOffStopped, otherTookOver, sockets.most(), trickle.emitted());
                assertEquals(1, sockets.most(), "never two instances on the event stream");
            }
            for (long t : takeovers) {
                assertTrue(t < TAKEOVER_BOUND.toMillis(), "takeover within " + TAKEOVER_BOUND + ": " + takeovers);
            }
        }
    }

    /** Kills the leader; how long until the standby holds the event stream (and then says it leads). */
    private static long killLeader(EscauxSimulator escaux, Instance leader, Instance standby) throws Exception {
        int connections = escaux.eventConnections();
        long killed = System.nanoTime();
        leader.kill();
        Await.until(WAIT, standby + " on the event stream", () -> escaux.eventConnections() > connections
                && escaux.eventClients() == 1);
        long takeover = millisSince(killed);
        Await.until(WAIT, standby + " says it leads", () -> standby.leads(ROUTE));
        return takeover;
    }

    private static String routeState(Instance i) {
        return i.clusterCheck().map(c -> c.path("data").path("route." + ROUTE).asText()).orElse("");
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
