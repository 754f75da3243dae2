package io.pbxbridge.cluster;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.leader.Participant;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.curator.utils.ZKPaths;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZooKeeper cluster service: one Curator {@link LeaderLatch} per namespace under {@code basePath}.
 * <p>
 * Why not camel-zookeeper's {@code ZooKeeperClusterService} (4.17.0): when its connection to ZooKeeper is lost, its
 * leader's election thread is interrupted and then asks ZooKeeper who leads before telling its listeners; that call
 * fails, so camel-master is never told and keeps consuming (two consumers once another instance is elected), and its
 * {@code LeaderSelector} is not requeued, so neither instance ever stands for election again. A latch steps down as
 * soon as the connection is suspended (before the session can expire and another instance be elected: no two
 * leaders), and stands again when the connection is back.
 */
public final class ZooKeeperLeaderLatchService extends AbstractCamelClusterService<ZooKeeperLeaderLatchService.View> {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperLeaderLatchService.class);

    private final String nodes;
    private final String basePath;
    private final int sessionTimeoutMillis;
    private final int connectTimeoutMillis;
    private CuratorFramework client;

    public ZooKeeperLeaderLatchService(String nodes, String basePath, long sessionTimeoutMillis,
            long connectTimeoutMillis) {
        this.nodes = nodes;
        this.basePath = basePath;
        this.sessionTimeoutMillis = Math.toIntExact(sessionTimeoutMillis);
        this.connectTimeoutMillis = Math.toIntExact(connectTimeoutMillis);
    }

    private synchronized CuratorFramework client() {
        if (client == null) {
            client = CuratorFrameworkFactory.builder().connectString(nodes).sessionTimeoutMs(sessionTimeoutMillis)
                    .connectionTimeoutMs(connectTimeoutMillis).retryPolicy(new ExponentialBackoffRetry(1000, 3))
                    .build();
            client.start(); // connects in the background: an instance starts while ZooKeeper is away, leading nothing
        }
        return client;
    }

    /** Why this instance can take part in no election now (ZooKeeper not connected), or empty. */
    public synchronized Optional<String> unreachable() {
        if (client == null || client.getZookeeperClient().isConnected()) {
            return Optional.empty();
        }
        return Optional.of("ZooKeeper (" + nodes + ") is not connected: this instance leads nothing");
    }

    @Override
    protected View createView(String namespace) {
        return new View(namespace, ZKPaths.makePath(basePath, namespace));
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        synchronized (this) {
            if (client != null) {
                client.close();
                client = null;
            }
        }
    }

    /** One namespace: this instance's latch in its election. */
    final class View extends AbstractCamelClusterView {

        private final String path;
        private final CamelClusterMember local = new Member(null);
        private volatile LeaderLatch latch;
        private ExecutorService events;

        View(String namespace, String path) {
            super(ZooKeeperLeaderLatchService.this, namespace);
            this.path = path;
        }

        @Override
        protected void doStart() throws Exception {
            // listeners (camel-master stopping a consumer) run on a thread of their own, never on Curator's
            events = getClusterService().getCamelContext().getExecutorServiceManager().newSingleThreadExecutor(this,
                    "ZooKeeperLeadership-" + getNamespace());
            LeaderLatch l = new LeaderLatch(client(), path, getClusterService().getId());
            l.addListener(new LeaderLatchListener() {
                @Override
                public void isLeader() {
                    LOG.info("Leader of {} in ZooKeeper", getNamespace());
                    fireLeadershipChangedEvent(local);
                }

                @Override
                public void notLeader() {
                    LOG.info("No longer leader of {} (ZooKeeper connection suspended or lost, or stopping)",
                            getNamespace());
                    fireLeadershipChangedEvent((CamelClusterMember) null);
                }
            }, events);
            latch = l;
            l.start();
        }

        @Override
        protected void doStop() throws Exception {
            LeaderLatch l = latch;
            latch = null;
            if (l != null) {
                boolean led = l.hasLeadership();
                l.close(); // deletes its node: another instance is elected without waiting for a session to expire
                if (led) {
                    fireLeadershipChangedEvent((CamelClusterMember) null);
                }
            }
            if (events != null) {
                getClusterService().getCamelContext().getExecutorServiceManager().shutdown(events);
                events = null;
            }
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            if (local.isLeader()) {
                return Optional.of(local);
            }
            return participants().stream().filter(Participant::isLeader).findFirst()
                    .map(p -> (CamelClusterMember) new Member(p));
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return participants().stream().map(p -> (CamelClusterMember) new Member(p)).toList();
        }

        private Collection<Participant> participants() {
            LeaderLatch l = latch;
            if (l == null || unreachable().isPresent()) {
                return List.of(); // not asked of a ZooKeeper away: Curator would retry for seconds
            }
            try {
                return l.getParticipants();
            } catch (Exception e) {
                LOG.debug("Participants of {} unknown: {}", getNamespace(), e.toString());
                return List.of();
            }
        }

        /** This instance ({@code participant} null) or another one. */
        private final class Member implements CamelClusterMember {
            private final Participant participant;

            Member(Participant participant) {
                this.participant = participant;
            }

            @Override
            public boolean isLeader() {
                if (participant != null) {
                    return participant.isLeader();
                }
                LeaderLatch l = latch;
                return l != null && l.hasLeadership();
            }

            @Override
            public boolean isLocal() {
                return participant == null || participant.getId().equals(getClusterService().getId());
            }

            @Override
            public String getId() {
                return participant == null ? getClusterService().getId() : participant.getId();
            }
        }
    }
}
