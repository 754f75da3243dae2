package io.pbxbridge.escaux;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.netty.ChannelHandlerFactory;
import org.apache.camel.component.netty.NettyComponent;
import org.apache.camel.component.netty.NettyConfiguration;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.NettyEndpoint;
import org.apache.camel.support.DefaultConsumer;
import org.apache.camel.support.service.ServiceHelper;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.pbxbridge.model.CallEvent;
import io.pbxbridge.vendor.source.Backoff;
import io.pbxbridge.vendor.source.EventSourceMonitor;
import io.pbxbridge.vendor.source.KeyOrderedDispatcher;
import io.pbxbridge.vendor.source.LivenessCheck;
import io.pbxbridge.vendor.source.Reconnector;
import io.pbxbridge.vendor.source.UnreadableInputDeadLetter;

/**
 * Consumes the SOP's event stream (TCP 5050) as {@link CallEvent}s, through an internal camel-netty TCP consumer in
 * client mode whose pipeline is {@link EscauxEventFrameDecoder} (no textline, no default codec). What every event
 * source needs comes from {@code io.pbxbridge.vendor.source}; this class adds the Netty pipeline and the Escaux parts.
 *
 * <p>Connection: a {@link Reconnector}, rather than camel-netty, which can only reconnect at a fixed
 * {@code reconnectInterval} and fails to start when the server is down. The internal consumer runs with
 * {@code reconnect=false} on an event loop group owned by this consumer, and every connect attempt (at start, after
 * a drop, after a liveness miss) is a fresh internal consumer, after a backoff from {@code reconnectDelay} doubling
 * up to {@code maxReconnectDelay}. The route is never restarted.
 *
 * <p>Liveness: a {@link LivenessCheck} calls {@code ccPing} over HTTP every {@code pingInterval} ms and expects
 * {@code evPong} on the socket within {@code pongTimeout} ms; otherwise the socket is closed and reconnected (events
 * read meanwhile, or the event loop still busy with a read, count as alive). evPong is not routed unless
 * {@code forwardPongs}. Bytes that are not an event go to an {@link UnreadableInputDeadLetter} ({@code deadLetterUri},
 * header {@link EscauxConstants#REJECT_REASON}).
 *
 * <p>Routing: a {@link KeyOrderedDispatcher} by call id: with {@code workers=1} every event is routed on the socket's
 * event loop, with more the event loop only reads, frames and parses; with {@code maxBatchSize} above 1 the events of
 * one read (of one worker) go as one exchange with a {@code List<CallEvent>} body.
 */
public class EscauxEventConsumer extends DefaultConsumer {

    private final EscauxEndpoint endpoint;
    private final EscauxConfiguration cfg;
    private final String source;
    private final String name;
    private final String idPrefix = UUID.randomUUID().toString().substring(0, 13);
    private final AtomicLong sequence = new AtomicLong();

    private final Reconnector reconnector;
    private final LivenessCheck<Channel> liveness;
    private final UnreadableInputDeadLetter deadLetter;
    private KeyOrderedDispatcher<Received> dispatcher; // built at start, with the exception handler set by then

    private EventLoopGroup group;
    private ScheduledExecutorService scheduler;
    private NettyEndpoint nettyEndpoint;
    private volatile Channel channel;
    private NettyConsumer current; // guarded by this
    private boolean eventsInRead; // event loop only: events were parsed in the current read
    private int routedInRead; // event loop only: events of the current read handed to the routes
    private final EventSourceMonitor monitor;

    public EscauxEventConsumer(EscauxEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        this.cfg = endpoint.getConfiguration();
        this.source = endpoint.source();
        this.name = "escaux-events-" + endpoint.eventHost() + ":" + cfg.getEventPort();
        String socket = "Escaux event socket " + endpoint.eventHost() + ":" + cfg.getEventPort();
        this.reconnector = new Reconnector(socket, new Backoff(cfg.getReconnectDelay(), cfg.getMaxReconnectDelay()),
                this::connect);
        this.liveness = new LivenessCheck<>(socket, cfg.getPingInterval(), cfg.getPongTimeout(), this::openChannel,
                ch -> endpoint.getClient().ccPing(), Channel::close);
        this.monitor = new EventSourceMonitor(EscauxComponent.SCHEME, endpoint.eventHost() + ":" + cfg.getEventPort(),
                reconnector, Duration.ofMillis(cfg.getUnhealthyAfter()));
        this.deadLetter = new UnreadableInputDeadLetter(endpoint.getCamelContext(),
                "Escaux event stream from " + source, cfg.getDeadLetterUri(), EscauxConstants.REJECT_REASON,
                Map.of(EscauxConstants.SOURCE, source));
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        group = new NioEventLoopGroup(1, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        scheduler = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "EscauxEventSupervisor");
        ServiceHelper.startService(deadLetter);
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
        dispatcher = new KeyOrderedDispatcher<>(name, cfg.getWorkers(), cfg.getMaxBatchSize(),
                r -> r.event().subject(), r -> route(r.event(), r.name()), this::routeBatch, getExceptionHandler());
        dispatcher.start();
        nettyEndpoint = new NettyEndpoint("netty:tcp://" + nc.getHost() + ":" + nc.getPort() + "?clientMode=true",
                netty, nc);
        nettyEndpoint.setCamelContext(getEndpoint().getCamelContext());
        ServiceHelper.startService(nettyEndpoint);
        monitor.start(getEndpoint().getCamelContext());
        reconnector.start(scheduler);
        liveness.start(scheduler);
    }

    @Override
    protected void doStop() throws Exception {
        reconnector.stop();
        liveness.stop();
        Channel ch = channel;
        if (ch != null) {
            ch.close().awaitUninterruptibly(2000);
        }
        synchronized (this) {
            ServiceHelper.stopService(current);
            current = null;
        }
        if (dispatcher != null) {
            // what was read is routed before the consumer stops: Camel then waits for those exchanges
            dispatcher.stop();
        }
        if (scheduler != null) {
            getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(scheduler);
        }
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        }
        ServiceHelper.stopService(deadLetter, nettyEndpoint);
        monitor.stop();
        super.doStop();
    }

    // ---- connection -----------------------------------------------------------------------------------------

    /** An attempt of the reconnector: a fresh internal consumer; its channel's activation reports the connection. */
    private synchronized void connect() throws Exception {
        if (!reconnector.isRunning() || channel != null) {
            return;
        }
        ServiceHelper.stopService(current);
        current = null;
        NettyConsumer consumer = null;
        try {
            // FrameHandler, last in the pipeline, takes every frame: camel-netty's own handler (which would wrap each
            // in an exchange of its own before this consumer makes the real one) gets nothing to process
            consumer = (NettyConsumer) nettyEndpoint.createConsumer(exchange -> {
            });
            consumer.start();
            current = consumer;
        } catch (Exception e) {
            ServiceHelper.stopService(consumer);
            throw e;
        }
    }

    /** The reconnect delay after {@code attempts + 1} failed attempts in a row. */
    long backoff(int attempts) {
        return reconnector.backoff().delay(attempts);
    }

    private void connected(Channel ch) {
        channel = ch;
        liveness.connected();
        reconnector.connected();
    }

    private void disconnected(Channel ch) {
        if (channel != ch) {
            return;
        }
        channel = null;
        reconnector.disconnected();
    }

    /** The socket while it is connected, else null. */
    private Channel openChannel() {
        Channel ch = channel;
        return ch != null && ch.isActive() ? ch : null;
    }

    // ---- statistics for tests and monitoring --------------------------------------------------------------

    /** Successful connections so far. */
    public long getConnectCount() {
        return reconnector.getConnectCount();
    }

    /** evPongs received. */
    public long getPongCount() {
        return liveness.getAnswerCount();
    }

    /** Liveness checks that found the socket dead. */
    public long getLivenessMisses() {
        return liveness.getMissCount();
    }

    /** Events read and handed to the routes. */
    public long getEventCount() {
        return monitor.getEventCount();
    }

    /** Frames rejected by the decoder or the parser. */
    public long getRejectedCount() {
        return deadLetter.getRejectedCount();
    }

    public boolean isConnected() {
        return openChannel() != null;
    }

    // ---- events ---------------------------------------------------------------------------------------------

    /**
     * Last in the pipeline, on the channel's event loop: takes what the decoder emits, parses it and hands it to the
     * dispatcher (told when the read is complete).
     */
    private final class FrameHandler extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            liveness.readStarted();
            try {
                if (msg instanceof String xml) {
                    received(xml);
                } else if (msg instanceof EscauxRejectedFrame f) {
                    reject(f, null);
                } else {
                    ctx.fireChannelRead(msg);
                }
            } catch (Exception e) {
                getExceptionHandler().handleException("Failed to process an Escaux event", e);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            dispatcher.endOfRead(); // still "reading" while the batch is routed here, for the liveness check
            liveness.readFinished(eventsInRead);
            eventsInRead = false;
            monitor.events(routedInRead);
            routedInRead = 0;
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            dispatcher.endOfRead();
            ctx.fireChannelInactive();
        }
    }

    private void received(String xml) {
        EscauxEvents.Parsed parsed;
        try {
            parsed = EscauxEvents.parse(xml);
        } catch (EscauxEvents.MalformedEventException e) {
            reject(new EscauxRejectedFrame(EscauxRejectedFrame.Reason.MALFORMED, xml.getBytes(StandardCharsets.UTF_8),
                    xml.length()), e.getMessage());
            return;
        }
        eventsInRead = true;
        CallEvent event = EscauxEvents.toCallEvent(parsed, xml, source, idPrefix + "-" + sequence.incrementAndGet(),
                Instant.now());
        if ("evPong".equals(parsed.name())) {
            liveness.answered();
            if (!cfg.isForwardPongs()) {
                return;
            }
        }
        routedInRead++;
        dispatcher.offer(new Received(event, parsed.name()));
    }

    private void reject(EscauxRejectedFrame f, String why) {
        deadLetter.reject(f.reason().name(), why, f.bytes(), f.size());
    }

    /** An event and its element's name (the {@link EscauxConstants#EVENT_NAME} header of an event routed alone). */
    private record Received(CallEvent event, String name) {
    }

    private void routeBatch(List<Received> received) {
        List<CallEvent> batch = new ArrayList<>(received.size());
        for (Received r : received) {
            batch.add(r.event());
        }
        route(batch, null);
    }

    /**
     * Routes one event, or a batch (a list, no event name header); the route's asynchronous parts (a Kafka send)
     * finish on their own threads.
     */
    private void route(Object body, String eventName) {
        Exchange exchange = createExchange(false);
        exchange.getIn().setBody(body);
        if (eventName != null) {
            exchange.getIn().setHeader(EscauxConstants.EVENT_NAME, eventName);
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
