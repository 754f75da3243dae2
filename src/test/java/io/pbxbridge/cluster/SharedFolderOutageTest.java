package io.pbxbridge.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.cluster.ClusterInstances.Instance;
import io.pbxbridge.sandbox.escaux.EscauxSimulator;
import io.pbxbridge.support.Await;

/**
 * Two instances on the file cluster service and one Escaux event stream, and the shared folder of the locks made
 * unusable under them. We run as root, so permissions stop nothing: the folder is moved away and a file put in its
 * place (camel-file's FileLockClusterService re-creates a folder that is merely gone, see README). Its leader then
 * reads no heartbeat at its next check (every acquire-lock-interval), lets go, and nobody can take the lock: the
 * socket closes, nobody consumes, both instances report the cluster DOWN; with the folder back, exactly one leads.
 */
class SharedFolderOutageTest {

    static final Duration WAIT = Duration.ofSeconds(60);
    static final String ROUTE = "source-escaux";

    @TempDir
    Path tmp;

    @Test
    void nobodyLeadsWithoutTheFolderAndOneLeadsWhenItIsBack() throws Exception {
        try (ClusterInstances cluster = new ClusterInstances(tmp)) {
            run(cluster, cluster.startEscaux());
        }
    }

    private static void run(ClusterInstances cluster, EscauxSimulator escaux) throws Exception {
        Path root = Path.of(cluster.common.get("cluster.file.root"));
        Path away = root.resolveSibling("cluster.away");
        Duration interval = Duration.ofSeconds(2); // application.properties: cluster.file.acquire-lock-interval
        Instance a = cluster.instance("a");
        Instance b = cluster.instance("b");
        long stoppedLeading;
        long resumed;
        try (MostAtOnce sockets = MostAtOnce.watch(escaux::eventClients);
                Trickle trickle = Trickle.start(escaux, "folder", 20)) {
            a.start();
            b.start();
            cluster.awaitOneLeader(ROUTE, escaux::eventClients, WAIT);

            long gone = System.nanoTime();
            Files.move(root, away);
            Files.writeString(root, "not a folder");
            Await.until(WAIT, "the leader's socket closed", () -> escaux.eventClients() == 0);
            stoppedLeading = millisSince(gone);
            for (Instance i : List.of(a, b)) {
                Await.until(WAIT, i + " not ready", () -> i.readiness() == 503);
                String message = i.clusterCheck().map(c -> c.path("message").asText()).orElse("");
                assertTrue(message.contains("cluster folder") && message.contains("leads nothing"),
                        i + ": " + message);
            }
            // past the time after which a silent leader is taken for dead (interval x multiplier 3)
            Thread.sleep(interval.multipliedBy(4).toMillis());
            assertEquals(0, escaux.eventClients(), "nobody on the event stream without the folder");
            assertEquals(List.of(), cluster.leaderNames(ROUTE), "nobody says it leads without the folder");

            long back = System.nanoTime();
            Files.delete(root);
            Files.move(away, root);
            cluster.awaitOneLeader(ROUTE, escaux::eventClients, WAIT);
            resumed = millisSince(back);
            Thread.sleep(interval.multipliedBy(2).toMillis());
            assertEquals(1, cluster.leaders(ROUTE).size(), "still one leader: " + cluster.leaderNames(ROUTE));

            // the folder deleted: whoever checks first creates it again and takes the lock, the leader lets go
            int connections = escaux.eventConnections();
            long deleted = System.nanoTime();
            deleteTree(root);
            Await.until(WAIT, "a new connection", () -> escaux.eventConnections() > connections);
            cluster.awaitOneLeader(ROUTE, escaux::eventClients, WAIT);
            long recreated = millisSince(deleted);
            System.out.printf("shared folder replaced by a file: the leader closed its socket after %d ms; folder "
                    + "back: one leader after %d ms; folder deleted: one leader on a new folder after %d ms; most "
                    + "sockets at once %d; %d events written%n", stoppedLeading, resumed, recreated, sockets.most(),
                    trickle.emitted());
            assertEquals(1, sockets.most(), "never two instances on the event stream");
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
