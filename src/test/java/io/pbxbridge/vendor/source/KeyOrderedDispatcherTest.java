package io.pbxbridge.vendor.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.apache.camel.Exchange;
import org.apache.camel.spi.ExceptionHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.pbxbridge.support.Await;

class KeyOrderedDispatcherTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    /** An event of a call: its key and its number within the call. */
    record Event(Integer call, int seq) {
    }

    /** What was routed: the event, on which thread, alone (size 0) or in which batch of which size. */
    record Routed(Event event, String thread, int batch, int batchSize) {
    }

    final List<Routed> routed = Collections.synchronizedList(new ArrayList<>());
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final AtomicInteger batchNumbers = new AtomicInteger();
    KeyOrderedDispatcher<Event> dispatcher;

    final ExceptionHandler handler = new ExceptionHandler() {
        @Override
        public void handleException(Throwable exception) {
            failures.add(exception);
        }

        @Override
        public void handleException(String message, Throwable exception) {
            failures.add(exception);
        }

        @Override
        public void handleException(String message, Exchange exchange, Throwable exception) {
            failures.add(exception);
        }
    };

    @AfterEach
    void stop() throws InterruptedException {
        if (dispatcher != null) {
            dispatcher.stop();
        }
    }

    KeyOrderedDispatcher<Event> dispatcher(int workers, int maxBatchSize, Consumer<Event> beforeRouting) {
        dispatcher = new KeyOrderedDispatcher<>("test", workers, maxBatchSize, Event::call, e -> {
            beforeRouting.accept(e);
            routed.add(new Routed(e, Thread.currentThread().getName(), batchNumbers.incrementAndGet(), 0));
        }, batch -> {
            batch.forEach(beforeRouting);
            int number = batchNumbers.incrementAndGet();
            batch.forEach(e -> routed.add(new Routed(e, Thread.currentThread().getName(), number, batch.size())));
        }, handler);
        dispatcher.start();
        return dispatcher;
    }

    List<Routed> routed() {
        synchronized (routed) {
            return new ArrayList<>(routed);
        }
    }

    /** The batches as routed, in order: their events' numbers. */
    List<List<Integer>> batches() {
        Map<Integer, List<Integer>> batches = new java.util.LinkedHashMap<>();
        for (Routed r : routed()) {
            batches.computeIfAbsent(r.batch(), n -> new ArrayList<>()).add(r.event().seq());
        }
        return new ArrayList<>(batches.values());
    }

    static Integer keyOfWorker(int worker, int workers, int n) {
        int found = 0;
        for (int k = 0;; k++) {
            if (Math.floorMod(Integer.valueOf(k).hashCode(), workers) == worker && found++ == n) {
                return k;
            }
        }
    }

    @Test
    void oneWorkerRoutesOnTheReadersThreadInArrivalOrder() {
        dispatcher(1, 1, e -> {
        });
        for (int i = 0; i < 100; i++) {
            dispatcher.offer(new Event(i % 7, i));
            assertEquals(i + 1, routed.size(), "routed before offer returns");
        }
        dispatcher.endOfRead();
        List<Routed> all = routed();
        for (int i = 0; i < 100; i++) {
            assertEquals(i, all.get(i).event().seq());
            assertEquals(Thread.currentThread().getName(), all.get(i).thread());
            assertEquals(0, all.get(i).batchSize(), "alone, not in a list");
        }
    }

    @Test
    void oneWorkerBatchesWhatWasReadTogetherWithoutWaitingForABatchToFill() {
        dispatcher(1, 10, e -> {
        });
        for (int i = 0; i < 25; i++) {
            dispatcher.offer(new Event(i % 3, i));
        }
        assertEquals(20, routed.size(), "full batches go at once");
        dispatcher.endOfRead();
        dispatcher.offer(new Event(1, 25));
        dispatcher.endOfRead();
        assertEquals(List.of(range(0, 10), range(10, 20), range(20, 25), range(25, 26)), batches());
        assertTrue(routed().stream().allMatch(r -> r.thread().equals(Thread.currentThread().getName())));
    }

    @Test
    void workersBatchWhatWasReadTogetherOneBatchPerRead() {
        dispatcher(2, 50, e -> {
        });
        Integer a = keyOfWorker(0, 2, 0);
        Integer b = keyOfWorker(0, 2, 1);
        int seq = 0;
        for (int read : new int[] { 3, 120, 1, 300 }) {
            for (int i = 0; i < read; i++) {
                dispatcher.offer(new Event(i % 2 == 0 ? a : b, seq++));
            }
            dispatcher.endOfRead();
        }
        Await.until(WAIT, "all routed", () -> routed.size() == 424);
        // one list per read, cut at maxBatchSize, and a long read handed over every 128 events
        assertEquals(List.of(3, 50, 50, 20, 1, 50, 50, 28, 50, 50, 28, 44),
                batches().stream().map(List::size).toList());
        assertEquals(range(0, 424), routed().stream().map(r -> r.event().seq()).toList(), "one worker: in order");
        assertEquals(Set.of("test-worker-0"), threads());
    }

    /**
     * 40,000 events of 101 calls offered in reads of random sizes while the routes take random short times: every
     * call's events are routed in order, each call by one worker, each worker a thread of its own.
     */
    @ParameterizedTest(name = "workers={0}, maxBatchSize={1}")
    @CsvSource({ "4, 1", "4, 16", "3, 200" })
    void workersKeepEveryKeysOrderUnderConcurrency(int workers, int maxBatchSize) {
        Random random = new Random(7);
        dispatcher(workers, maxBatchSize, e -> {
            if (e.seq() % 97 == 0) {
                Thread.yield();
            }
            if (e.seq() % 1009 == 0) {
                sleep(1);
            }
        });
        int total = 40_000;
        for (int seq = 0; seq < total;) {
            int read = 1 + random.nextInt(300);
            for (int i = 0; i < read && seq < total; i++, seq++) {
                dispatcher.offer(new Event(random.nextInt(101), seq));
            }
            dispatcher.endOfRead();
        }
        Await.until(WAIT, () -> "all routed: " + routed.size(), () -> routed.size() == total);

        Map<Integer, Integer> last = new HashMap<>();
        Map<Integer, String> threadOfCall = new HashMap<>();
        for (Routed r : routed()) {
            Integer before = last.put(r.event().call(), r.event().seq());
            assertTrue(before == null || before < r.event().seq(), r.event().call() + ": " + before + " then "
                    + r.event().seq());
            String thread = threadOfCall.putIfAbsent(r.event().call(), r.thread());
            assertTrue(thread == null || thread.equals(r.thread()), "call " + r.event().call() + " on two threads");
            assertTrue(maxBatchSize == 1 ? r.batchSize() == 0 : r.batchSize() >= 1 && r.batchSize() <= maxBatchSize,
                    "batch of " + r.batchSize());
        }
        assertEquals(101, last.size());
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < workers; i++) {
            expected.add("test-worker-" + i);
        }
        assertEquals(expected, threads(), "routed by the workers, not the reader");
        assertTrue(failures.isEmpty(), failures::toString);
    }

    @Test
    void aWorkerThatFallsBehindMakesTheReaderWait() throws Exception {
        CountDownLatch routing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Integer slow = keyOfWorker(0, 2, 0);
        Integer fast = keyOfWorker(1, 2, 0);
        dispatcher(2, 1, e -> {
            if (e.call().equals(slow)) {
                routing.countDown();
                await(release);
            }
        });
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            for (int i = 0; i < 20; i++) {
                dispatcher.offer(new Event(slow, i));
                dispatcher.offer(new Event(fast, i));
                dispatcher.endOfRead();
                reads.incrementAndGet();
            }
        }, "reader");
        reader.start();
        try {
            assertTrue(routing.await(10, TimeUnit.SECONDS));
            Await.until(WAIT, "the reader waiting", () -> reader.getState() == Thread.State.WAITING
                    && reads.get() == KeyOrderedDispatcher.QUEUED + 1);
            Thread.sleep(200);
            // one hand-over in the route, the queue full: the reader waits for the worker, reads nothing
            assertEquals(KeyOrderedDispatcher.QUEUED + 1, reads.get());
            assertEquals(Thread.State.WAITING, reader.getState());
        } finally {
            release.countDown();
        }
        reader.join(10_000);
        assertEquals(20, reads.get());
        Await.until(WAIT, "all routed", () -> routed.size() == 40);
        List<Integer> slowOnes = routed().stream().filter(r -> r.event().call().equals(slow))
                .map(r -> r.event().seq()).toList();
        assertEquals(range(0, 20), slowOnes);
    }

    @Test
    void stopRoutesWhatWasHandedOverThenEndsTheWorkers() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        dispatcher(3, 1, e -> {
            await(go);
            sleep(1);
        });
        // as many reads as a worker's queue holds, so the reader does not wait for the held workers
        int perRead = 75;
        int total = KeyOrderedDispatcher.QUEUED * perRead;
        for (int i = 0; i < total; i++) {
            dispatcher.offer(new Event(i % 30, i));
            if (i % perRead == perRead - 1) {
                dispatcher.endOfRead();
            }
        }
        assertEquals(0, routed.size());
        go.countDown(); // some 200 ms of routing left
        dispatcher.stop();
        assertEquals(total, routed.size(), "routed before stop returns");
        assertTrue(Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("test-worker-") && t.isAlive()), "the workers ended");

        // offered after the stop (a read the stop overtook): routed on the reader's thread, not lost
        dispatcher.offer(new Event(1, total));
        dispatcher.endOfRead();
        assertEquals(total + 1, routed.size());
        assertEquals(Thread.currentThread().getName(), routed().get(total).thread());
    }

    @Test
    void aRouteThatFailsOnAWorkerIsReportedAndTheWorkerGoesOn() {
        dispatcher(2, 1, e -> {
            if (e.seq() == 3) {
                throw new IllegalStateException("route failed");
            }
        });
        for (int i = 0; i < 10; i++) {
            dispatcher.offer(new Event(0, i));
            dispatcher.endOfRead();
        }
        Await.until(WAIT, "the rest routed", () -> routed.size() == 9);
        assertEquals(1, failures.size());
        assertEquals("route failed", failures.get(0).getMessage());
    }

    Set<String> threads() {
        Set<String> threads = new HashSet<>();
        routed().forEach(r -> threads.add(r.thread()));
        return threads;
    }

    static List<Integer> range(int from, int to) {
        List<Integer> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            l.add(i);
        }
        return l;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
