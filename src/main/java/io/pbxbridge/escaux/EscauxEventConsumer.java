package io.pbxbridge.escaux;

import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.component.netty.NettyComponent;
import org.apache.camel.component.netty.NettyConfiguration;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.NettyEndpoint;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.pbxbridge.model.CallEvent;

/**
 * Consumes the SOP's event stream (TCP 5050) as {@link CallEvent}s, through an internal camel-netty TCP consumer in
 * client mode whose pipeline is {@link EscauxEventFrameDecoder} (no textline, no default codec).
 *
 * <p>Connection supervision is done here rather than by camel-netty, which can only reconnect at a fixed
 * {@code reconnectInterval} and fails to start when the server is down: the internal consumer runs with
 * {@code reconnect=false} on an event loop group owned by this consumer, and every connect attempt (at start, after
 * a drop, after a liveness miss) is a fresh internal consumer started after an exponential backoff
 * ({@code reconnectDelay} doubling up to {@code maxReconnectDelay}, reset by a successful connect). The route is
 * never restarted.
 *
 * <p>Liveness: every {@code pingInterval} ms while connected, {@code ccPing} is called over HTTP and {@code evPong}
 * must arrive on the socket within {@code pongTimeout} ms of sending it; otherwise the socket is closed and
 * reconnected (unless events were read meanwhile: the evPong may be behind them). Bytes that are not events do not
 * count: a socket that delivers only those is as dead as a silent one. evPong is not routed unless
 * {@code forwardPongs}. Bytes that are not an event (an event that never ended: at the next event start or after
 * {@code eventTimeout}) are logged and sent to {@code deadLetterUri}.
 *
 * <p>Routing: with {@code workers=1} every event is routed on the socket's event loop. With more, the event loop only
 * reads, frames and parses, and hands each event to the worker of its call (by call id): the routes run on several
 * threads while each call's events keep their order. With {@code maxBatchSize} above 1, the events of one read (of
 * one worker) are routed together, as one exchange with a {@code List<CallEvent>} body.
 */
public class EscauxEventConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(EscauxEventConsumer.class);

    private final EscauxEndpoint endpoint;
    private final EscauxConfiguration cfg;
    private final String source;
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 13);
    private final AtomicLong sequence = new AtomicLong();

    private EventLoopGroup group;
    private ScheduledExecutorService scheduler;
    private NettyEndpoint nettyEndpoint;
    private ProducerTemplate deadLetters;

    private volatile boolean running;
    private volatile Channel channel;
    private NettyConsumer current; // guarded by this
    private final java.util.concurrent.atomic.AtomicInteger failedAttempts = new java.util.concurrent.atomic.AtomicInteger();
    private final Object scheduleLock = new Object();
    private ScheduledFuture<?> pinger;
    private ScheduledFuture<?> pendingConnect; // guarded by scheduleLock

    private volatile Lane[] lanes; // null: events are routed on the event loop
    private int maxBatchSize = 1;
    private List<CallEvent> pending = new java.util.ArrayList<>(); // event loop only: the read's batch (workers=1)
    private boolean eventsInRead; // event loop only: events were parsed in the current read
    private volatile long lastEventNanos;
    private volatile boolean stalled; // the event loop waits for a lane to take a batch
    private volatile boolean reading; // the event loop is inside a read (routing what it read, with workers=1)
    private volatile long pingSentNanos;
    private volatile long pongNanos;
    private final AtomicLong connects = new AtomicLong();
    private final AtomicLong pongs = new AtomicLong();
    private final AtomicLong livenessMisses = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();

    public EscauxEventConsumer(EscauxEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.cfg = endpoint.getConfiguration();
        this.source = endpoint.source();
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "escaux-events-" + endpoint.eventHost() + ":" + cfg.getEventPort());
            t.setDaemon(true);
            return t;
        });
        scheduler = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "EscauxEventSupervisor");
        if (cfg.getDeadLetterUri() != null && !cfg.getDeadLetterUri().isBlank()) {
            deadLetters = getEndpoint().getCamelContext().createProducerTemplate();
            deadLetters.start();
        }
        NettyComponent netty = getEndpoint().getCamelContext().getComponent("netty", NettyComponent.class);
        NettyConfiguration nc = netty.getConfiguration() != null ? netty.getConfiguration().copy()
                : new NettyConfiguration();
        nc.setProtocol("tcp");
        nc.setHost(endpoint.eventHost());
        nc.setPort(cfg.getEventPort());
        nc.setClientMode(true);
        nc.setSync(false);
        nc.setReconnect(false);
        nc.setTextline(false);
        nc.setAllowDefaultCodec(false);
        nc.setUsingExecutorService(false); // events stay in order on the channel's event loop
        nc.setConnectTimeout(cfg.getConnectTimeout());
        nc.setWorkerGroup(group);
        int maxEventSize = cfg.getMaxEventSize();
        long eventTimeout = cfg.getEventTimeout();
        nc.setDecodersAsList(List.of(new PerChannel(ConnectionWatcher::new),
                new PerChannel(() -> new EscauxEventFrameDecoder(maxEventSize, eventTimeout)),
                new PerChannel(FrameHandler::new)));
        maxBatchSize = Math.max(1, cfg.getMaxBatchSize());
        if (cfg.getWorkers() > 1) {
            lanes = new Lane[cfg.getWorkers()];
            for (int i = 0; i < lanes.length; i++) {
                lanes[i] = new Lane(i);
            }
        }
        nettyEndpoint = new NettyEndpoint("netty:tcp://" + nc.getHost() + ":" + nc.getPort() + "?clientMode=true",
                netty, nc);
        nettyEndpoint.setCamelContext(getEndpoint().getCamelContext());
        ServiceHelper.startService(nettyEndpoint);
        running = true;
        scheduleConnect(0);
        if (cfg.getPingInterval() > 0) {
            pinger = scheduler.scheduleWithFixedDelay(this::checkLiveness, cfg.getPingInterval(),
                    cfg.getPingInterval(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        if (pinger != null) {
            pinger.cancel(true);
        }
        synchronized (scheduleLock) {
            if (pendingConnect != null) {
                pendingConnect.cancel(false);
            }
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2000);
        }
        synchronized (this) {
            ServiceHelper.stopService(current);
            current = null;
        }
        if (lanes != null) {
            // what was read is routed before the consumer stops: Camel then waits for those exchanges
            for (Lane lane : lanes) {
                lane.finish();
            }
            lanes = null;
        }
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        ServiceHelper.stopService(deadLetters, nettyEndpoint);
        super.doStop();
    }

    // ---- connection supervision -----------------------------------------------------------------------------

    private void scheduleConnect(long delayMillis) {
        synchronized (scheduleLock) {
            if (!running || scheduler.isShutdown()) {
                return;
            }
            if (pendingConnect != null && !pendingConnect.isDone()) {
                return;
            }
            pendingConnect = scheduler.schedule(this::connect, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void connect() {
        synchronized (scheduleLock) {
            // this attempt is under way, no longer pending: a socket that drops while it finishes (or right after)
            // must be able to schedule the next attempt, or the consumer would never reconnect
            pendingConnect = null;
        }
        NettyConsumer consumer = null;
        synchronized (this) {
            if (!running || channel != null) {
                return;
            }
            ServiceHelper.stopService(current);
            current = null;
            try {
                // FrameHandler, last in the pipeline, takes every frame: camel-netty's own handler (which would wrap
                // each in an exchange of its own before this consumer makes the real one) gets nothing to process
                consumer = (NettyConsumer) nettyEndpoint.createConsumer(exchange -> {
                });
                consumer.start();
                current = consumer;
                return; // channelActive resets the backoff
            } catch (Exception e) {
                ServiceHelper.stopService(consumer);
                long delay = backoff(failedAttempts.getAndIncrement());
                LOG.warn("Escaux event socket {}:{} unreachable ({}); retry in {} ms", endpoint.eventHost(),
                        cfg.getEventPort(), rootMessage(e), delay);
                scheduleConnect(delay);
            }
        }
    }

    long backoff(int attempts) {
        long d = Math.max(1, cfg.getReconnectDelay());
        for (int i = 0; i < attempts && d < cfg.getMaxReconnectDelay(); i++) {
            d *= 2;
        }
        return Math.min(d, Math.max(cfg.getMaxReconnectDelay(), cfg.getReconnectDelay()));
    }

    private void connected(Channel ch) {
        failedAttempts.set(0);
        channel = ch;
        pongNanos = System.nanoTime();
        lastEventNanos = pongNanos;
        reading = false;
        pingSentNanos = 0;
        connects.incrementAndGet();
        LOG.info("Connected to the Escaux event socket {}", ch.remoteAddress());
    }

    private void disconnected(Channel ch) {
        if (channel != ch) {
            return;
        }
        channel = null;
        if (!running) {
            return;
        }
        long delay = backoff(failedAttempts.getAndIncrement());
        LOG.warn("Escaux event socket {} closed; reconnecting in {} ms", ch.remoteAddress(), delay);
        scheduleConnect(delay);
    }

    // ---- liveness -------------------------------------------------------------------------------------------

    /** ccPing over HTTP, then evPong expected on the socket within pongTimeout of sending it. */
    void checkLiveness() {
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            return;
        }
        long sent = System.nanoTime();
        pingSentNanos = sent;
        try {
            endpoint.getClient().ccPing();
        } catch (EscauxException e) {
            LOG.warn("ccPing failed ({}); the event socket cannot be checked this time", e.getMessage());
            return;
        }
        long deadline = sent + TimeUnit.MILLISECONDS.toNanos(cfg.getPongTimeout());
        long wait = deadline - System.nanoTime();
        if (wait > 0) {
            synchronized (pongLock) {
                while (pongNanos - sent < 0 && (wait = deadline - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(pongLock, wait);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
        // the evPong may be queued behind events not yet read: an event read since the ping proves the socket alive
        // (bytes that are no event do not: a stream that only brings those is broken), and so does an event loop
        // still busy with a read or waiting for the routes to catch up (a Kafka client blocking for max.block.ms,
        // say): it reads nothing meanwhile
        boolean alive = pongNanos - sent >= 0 || lastEventNanos - sent > 0 || stalled || reading;
        if (!alive && channel == ch) {
            livenessMisses.incrementAndGet();
            LOG.warn("No evPong within {} ms of ccPing: the Escaux event socket {} is dead; reconnecting",
                    cfg.getPongTimeout(), ch.remoteAddress());
            ch.close();
        }
    }

    private final Object pongLock = new Object();

    private void pong() {
        pongs.incrementAndGet();
        synchronized (pongLock) {
            pongNanos = System.nanoTime();
            pongLock.notifyAll();
        }
    }

    // ---- statistics for tests and monitoring --------------------------------------------------------------

    /** Successful connections so far. */
    public long getConnectCount() {
        return connects.get();
    }

    /** evPongs received. */
    public long getPongCount() {
        return pongs.get();
    }

    /** Liveness checks that found the socket dead. */
    public long getLivenessMisses() {
        return livenessMisses.get();
    }

    /** Frames rejected by the decoder or the parser. */
    public long getRejectedCount() {
        return rejected.get();
    }

    public boolean isConnected() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    // ---- events ---------------------------------------------------------------------------------------------

    /**
     * Last in the pipeline, on the channel's event loop: takes what the decoder emits, parses it and routes it, or
     * hands it to the lane of its call (flushed when the read is complete).
     */
    private final class FrameHandler extends ChannelInboundHandlerAdapter {
        private boolean inRead; // event loop only: avoids a volatile write per event

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!inRead) {
                inRead = true;
                reading = true;
            }
            try {
                if (msg instanceof String xml) {
                    received(xml);
                } else if (msg instanceof EscauxRejectedFrame f) {
                    reject(f);
                } else {
                    ctx.fireChannelRead(msg);
                }
            } catch (Exception e) {
                getExceptionHandler().handleException("Failed to process an Escaux event", e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flush(); // still "reading" while the batch is routed here, for the liveness check
            if (eventsInRead) {
                eventsInRead = false;
                lastEventNanos = System.nanoTime();
            }
            inRead = false;
            reading = false;
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            flush();
            ctx.fireChannelInactive();
        }
    }

    private void received(String xml) {
        EscauxEvents.Parsed parsed;
        try {
            parsed = EscauxEvents.parse(xml);
        } catch (EscauxEvents.MalformedEventException e) {
            reject(new EscauxRejectedFrame(EscauxRejectedFrame.Reason.MALFORMED,
                    xml.getBytes(java.nio.charset.StandardCharsets.UTF_8), xml.length()), e.getMessage());
            return;
        }
        eventsInRead = true;
        CallEvent event = EscauxEvents.toCallEvent(parsed, xml, source, idPrefix + "-" + sequence.incrementAndGet(),
                Instant.now());
        if ("evPong".equals(parsed.name())) {
            pong();
            if (!cfg.isForwardPongs()) {
                return;
            }
        }
        Lane[] l = lanes;
        if (l == null && maxBatchSize == 1) {
            route(event, parsed.name());
        } else if (l == null) {
            pending.add(event);
            if (pending.size() >= maxBatchSize) {
                flush();
            }
        } else {
            String call = event.callId() != null ? event.callId() : event.legId();
            l[call == null ? 0 : Math.floorMod(call.hashCode(), l.length)].add(event, parsed.name());
        }
    }

    /**
     * Routes one event, or a batch (a list, no event name header); the route's asynchronous parts (a Kafka send)
     * finish on their own threads.
     */
    private void route(Object body, String name) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(body);
        if (name != null) {
            exchange.getIn().setHeader(EscauxConstants.EVENT_NAME, name);
        }
        exchange.getIn().setHeader(EscauxConstants.SOURCE, source);
        getAsyncProcessor().process(exchange, doneSync -> {
            if (exchange.getException() != null) {
                getExceptionHandler().handleException("Error processing Escaux event", exchange,
                        exchange.getException());
            }
            releaseExchange(exchange, false);
        });
    }

    private record Received(CallEvent event, String name) {
    }

    /** Routes the events a worker took over: one by one, or in lists of at most {@code maxBatchSize}. */
    private void route(List<Received> received) {
        if (maxBatchSize == 1) {
            received.forEach(r -> route(r.event(), r.name()));
            return;
        }
        for (int from = 0; from < received.size(); from += maxBatchSize) {
            List<CallEvent> batch = new java.util.ArrayList<>(Math.min(maxBatchSize, received.size() - from));
            for (Received r : received.subList(from, Math.min(received.size(), from + maxBatchSize))) {
                batch.add(r.event());
            }
            route(batch, null);
        }
    }

    /** End of a read (event loop): the batch read is routed, or handed to the workers. */
    private void flush() {
        if (!pending.isEmpty()) {
            List<CallEvent> batch = pending;
            pending = new java.util.ArrayList<>(Math.min(maxBatchSize, batch.size() * 2));
            route(batch, null);
        }
        Lane[] l = lanes;
        if (l != null) {
            for (Lane lane : l) {
                lane.flush();
            }
        }
    }

    /**
     * A routing thread for the events of a share of the calls, in arrival order. The event loop hands over batches
     * (one per read, at most {@link #BATCH} events); when the lane is {@link #QUEUED} batches behind, the event loop
     * waits, so the socket's back-pressure reaches the SOP instead of the heap filling up.
     */
    private final class Lane {
        static final int BATCH = 128;
        static final int QUEUED = 8;

        private final java.util.concurrent.BlockingQueue<List<Received>> queue =
                new java.util.concurrent.ArrayBlockingQueue<>(QUEUED);
        private final Thread thread;
        private List<Received> pending = new java.util.ArrayList<>(); // event loop only
        private volatile boolean finishing;

        Lane(int index) {
            thread = new Thread(this::run, "escaux-events-" + endpoint.eventHost() + ":" + cfg.getEventPort()
                    + "-worker-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        void add(CallEvent event, String name) {
            pending.add(new Received(event, name));
            if (pending.size() >= BATCH) {
                flush();
            }
        }

        void flush() {
            if (pending.isEmpty()) {
                return;
            }
            List<Received> batch = pending;
            pending = new java.util.ArrayList<>(Math.min(BATCH, batch.size() * 2));
            if (queue.offer(batch)) {
                return;
            }
            stalled = true;
            try {
                queue.put(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                // the event loop is shutting down: route them here rather than lose them
                route(batch);
            } finally {
                stalled = false;
            }
        }

        private void run() {
            while (true) {
                List<Received> batch;
                try {
                    batch = queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (batch == null) {
                    if (finishing) {
                        return;
                    }
                    continue;
                }
                try {
                    route(batch);
                } catch (RuntimeException e) {
                    getExceptionHandler().handleException("Failed to route Escaux events", e);
                }
            }
        }

        /** Routes what is queued, then ends the thread. */
        void finish() throws InterruptedException {
            finishing = true;
            thread.join(TimeUnit.SECONDS.toMillis(30));
            if (thread.isAlive()) {
                LOG.warn("{} still routing after 30 s; {} batches not routed", thread.getName(), queue.size());
                return;
            }
            // a batch the event loop handed over after the worker saw its queue empty (a close that took long)
            for (List<Received> batch = queue.poll(); batch != null; batch = queue.poll()) {
                route(batch);
            }
        }
    }

    private void reject(EscauxRejectedFrame f) {
        reject(f, null);
    }

    private void reject(EscauxRejectedFrame f, String why) {
        rejected.incrementAndGet();
        LOG.warn("Escaux event stream from {}: skipped {}{}", source, f, why == null ? "" : " - " + why);
        if (deadLetters != null) {
            try {
                deadLetters.send(cfg.getDeadLetterUri(), ex -> {
                    ex.getIn().setBody(f.bytes());
                    ex.getIn().setHeader(EscauxConstants.REJECT_REASON, f.reason().name() + (why == null ? "" : ": " + why));
                    ex.getIn().setHeader(EscauxConstants.SOURCE, source);
                });
            } catch (RuntimeException e) {
                LOG.warn("Cannot send rejected bytes to {}: {}", cfg.getDeadLetterUri(), e.toString());
            }
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable r = t;
        while (r.getCause() != null && r.getCause() != r) {
            r = r.getCause();
        }
        return r.getMessage() != null ? r.getMessage() : r.getClass().getSimpleName();
    }

    // ---- pipeline handlers ----------------------------------------------------------------------------------

    /** camel-netty builds each channel's pipeline from factories: a new handler per channel (they keep state). */
    private record PerChannel(Supplier<ChannelHandler> handlers) implements ChannelHandlerFactory {
        @Override
        public ChannelHandler newChannelHandler() {
            return handlers.get();
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
        }

        @Override
        @SuppressWarnings("deprecation")
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        }
    }

    /** Tells the consumer when the socket comes up and goes down. */
    private final class ConnectionWatcher extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            connected(ctx.channel());
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            disconnected(ctx.channel());
            super.channelInactive(ctx);
        }
    }
}
