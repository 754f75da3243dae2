package io.pbxbridge.mor;

import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.pbxbridge.sandbox.mor.MorSimulator;
import io.pbxbridge.support.SafeXml;

/**
 * Not a test: pages/s and records/s of a 100,000-call list ({@code POST /stats/call_list}) read by the component
 * ({@link MorClient#callsPeriod(CallQuery, java.util.function.Consumer)}: the tolerant reader, typed
 * {@link MorCall}s), next to the JDK's HTTP client and plain StAX reading the same page into strings, in the same
 * run. Run with {@code mvn -o test -Dtest=MorCallListBench -Dsurefire.excludedGroups=none}.
 */
@Tag("bench")
class MorCallListBench {

    static final int CALLS = 100_000;
    static final int WARMUP = 5;
    static final int MEASURED = 12;

    @Test
    void pagesAndRecordsPerSecond() throws Exception {
        Instant to = Instant.now().minusSeconds(60);
        Instant from = to.minus(Duration.ofDays(30));
        try (MorSim mor = new MorSim(MorSimulator.builder().initialCalls(0))) {
            mor.sim.addCalls(CALLS, from, to);
            MorClient client = ((MorEndpoint) mor.camel.getEndpoint("mor:callsPeriod")).client();
            CallQuery query = CallQuery.of(from.minusSeconds(1), to.plusSeconds(1));
            HttpClient http = HttpClient.newHttpClient();
            String cookie = login(http, mor.sim);
            for (int i = 0; i < WARMUP; i++) {
                component(client, query);
                plain(http, mor.sim, cookie, query);
            }
            long[] componentNanos = new long[MEASURED];
            long[] plainNanos = new long[MEASURED];
            for (int i = 0; i < MEASURED; i++) {
                // alternating which goes first: the machine's load changes under both alike
                boolean componentFirst = i % 2 == 0;
                for (int k = 0; k < 2; k++) {
                    long t = System.nanoTime();
                    long n = (k == 0) == componentFirst ? component(client, query) : plain(http, mor.sim, cookie, query);
                    long d = System.nanoTime() - t;
                    if ((k == 0) == componentFirst) {
                        componentNanos[i] = d;
                    } else {
                        plainNanos[i] = d;
                    }
                    if (n != CALLS) {
                        throw new AssertionError(n + " calls, expected " + CALLS);
                    }
                }
            }
            report("component (tolerant reader, typed MorCall)", componentNanos);
            report("plain HTTP + StAX (strings)", plainNanos);
            System.out.printf("component / plain: median %.0f %%, best %.0f %%%n",
                    100.0 * median(plainNanos) / median(componentNanos), 100.0 * best(plainNanos) / best(componentNanos));
        }
    }

    private static void report(String what, long[] nanos) {
        System.out.printf("%s: median %.2f pages/s (%.0f records/s), best %.2f pages/s (%.0f records/s)%n", what,
                1e9 / median(nanos), CALLS * 1e9 / median(nanos), 1e9 / best(nanos), CALLS * 1e9 / best(nanos));
    }

    private static double median(long[] nanos) {
        long[] s = nanos.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }

    private static double best(long[] nanos) {
        return java.util.Arrays.stream(nanos).min().orElseThrow();
    }

    private static long component(MorClient client, CallQuery query) {
        AtomicLong n = new AtomicLong();
        client.callsPeriod(query, c -> n.incrementAndGet());
        return n.get();
    }

    private static String login(HttpClient http, MorSimulator sim) throws Exception {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(sim.address() + "/api/login?u="
                + MorSim.USERNAME + "&p=" + MorSim.PASSWORD)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding());
        String c = r.headers().firstValue("Set-Cookie").orElseThrow();
        return c.substring(0, c.indexOf(';'));
    }

    /** The same request, and the calls read into strings. */
    private static long plain(HttpClient http, MorSimulator sim, String cookie, CallQuery q) throws Exception {
        String start = Long.toString(q.periodStart().getEpochSecond());
        String end = Long.toString(q.periodEnd().getEpochSecond());
        String hash = MorHash.of(List.of(MorSim.USER_ID, "1", start, end), sim.apiKey());
        String form = "user_id=" + MorSim.USER_ID + "&search_on=1&period_start=" + start + "&period_end=" + end
                + "&hash=" + URLEncoder.encode(hash, StandardCharsets.UTF_8);
        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(sim.address() + "/stats/call_list"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofInputStream());
        long calls = 0;
        try (InputStream in = r.body()) {
            XMLStreamReader x = SafeXml.inputFactory().createXMLStreamReader(in);
            String[] fields = new String[7];
            int field = -1;
            while (x.hasNext()) {
                int e = x.next();
                if (e == XMLStreamConstants.START_ELEMENT) {
                    switch (x.getLocalName()) {
                        case "call" -> field = 0;
                        case "date", "called_from", "called_to", "destination", "duration", "hangup_cause",
                             "price" -> {
                            if (field >= 0) {
                                fields[field++ % 7] = x.getElementText();
                            }
                        }
                        default -> {
                        }
                    }
                } else if (e == XMLStreamConstants.END_ELEMENT && x.getLocalName().equals("call")) {
                    calls++;
                    field = -1;
                }
            }
        }
        return calls;
    }
}
