package io.pbxbridge.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.pbxbridge.monema.FaxResult;
import io.pbxbridge.monema.MonemaComponent;
import io.pbxbridge.monema.TestPdfs;

/**
 * Not a test: faxes a 100 MB PDF through {@code monema:fax} to the simulator (in its own JVM) and prints throughput
 * and peak heap, next to the same upload by a plain HTTP client loop without Camel. Run with
 * {@code mvn -Pbench test -Dtest=MonemaFaxBench}.
 */
@Tag("bench")
class MonemaFaxBench {

    static final long SIZE = Long.getLong("bench.size", 100L * 1024 * 1024);
    static final int CHUNK = 256 * 1024;
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

    @TempDir
    Path tmp;

    @Test
    void faxOneHundredMegabytes() throws Exception {
        Path doc = TestPdfs.write(tmp.resolve("bench.pdf"), SIZE, 1);
        Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), SimulatorProcess.class.getName(), "monema",
                tmp.resolve("sim").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            String address = readAddress(sim.getInputStream());
            CamelContext camel = new DefaultCamelContext();
            MonemaComponent monema = new MonemaComponent();
            monema.getConfiguration().setAddress(address);
            monema.getConfiguration().setLogin("demo");
            monema.getConfiguration().setPassword("demo-secret");
            monema.getConfiguration().setAllowChunking(Boolean.getBoolean("bench.chunking"));
            camel.addComponent("monema", monema);
            camel.start();
            ProducerTemplate template = camel.createProducerTemplate();
            // warm up both paths on a small document
            Path warm = TestPdfs.write(tmp.resolve("warm.pdf"), 16L * 1024 * 1024, 2);
            for (int i = 0; i < 3; i++) {
                template.requestBody("monema:fax?destNumbers=15550001", warm.toFile(), FaxResult.class);
                plainUpload(address, warm);
            }

            long idle = settledHeap();
            List<double[]> camelRuns = new ArrayList<>();
            List<double[]> plainRuns = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                camelRuns.add(measure(idle, () -> template.requestBody("monema:fax?destNumbers=15550001&chunkSize="
                        + CHUNK, doc.toFile(), FaxResult.class)));
                plainRuns.add(measure(idle, () -> plainUpload(address, doc)));
                Files.walk(tmp.resolve("sim")).filter(Files::isRegularFile).forEach(p -> p.toFile().delete());
            }
            camel.stop();
            report(idle, camelRuns, plainRuns);
        } finally {
            sim.getOutputStream().close();
            sim.destroy();
        }
    }

    interface Run {
        void run() throws Exception;
    }

    /** Runs once, sampling the heap every 5 ms; returns {MB/s, peak used above idle MB, peak after-GC above idle MB}. */
    static double[] measure(long idle, Run run) throws Exception {
        AtomicLong peakUsed = new AtomicLong();
        resetPeaks();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakUsed.accumulateAndGet(heapUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        long start = System.nanoTime();
        run.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        sampler.interrupt();
        sampler.join();
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.getCollectionUsage() != null) {
                afterGc += pool.getCollectionUsage().getUsed();
            }
        }
        return new double[] { SIZE / 1048576.0 / seconds, (peakUsed.get() - idle) / 1048576.0,
                (afterGc - idle) / 1048576.0 };
    }

    /** Upload and send by hand: rpc/encoded envelopes over java.net.http, no Camel, no CXF. */
    static void plainUpload(String address, Path doc) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String session = field(post(http, address, "C_startFaxUpload", ""), "sessionId");
        byte[] buf = new byte[CHUNK];
        long sent = 0;
        try (InputStream in = Files.newInputStream(doc)) {
            for (int n; (n = in.readNBytes(buf, 0, buf.length)) > 0;) {
                String chunk = Base64.getEncoder().encodeToString(n == buf.length ? buf : java.util.Arrays.copyOf(buf, n));
                long held = Long.parseLong(field(post(http, address, "C_uploadFaxChunk",
                        "<sessionId xsi:type=\"xsd:string\">" + session + "</sessionId><chunk xsi:type=\"xsd:base64Binary\">"
                                + chunk + "</chunk>"), "file_size"));
                sent += n;
                if (held != sent) {
                    throw new IllegalStateException("size mismatch");
                }
            }
        }
        String ok = field(post(http, address, "C_sendFax", "<sessionId xsi:type=\"xsd:string\">" + session
                + "</sessionId><faxModem xsi:type=\"xsd:string\">modem-1</faxModem><destNumbers xsi:type=\"xsd:string\">"
                + "15550001</destNumbers><useCover xsi:type=\"xsd:boolean\">false</useCover>"), "ok");
        if (!"true".equals(ok)) {
            throw new IllegalStateException("sendFax: " + ok);
        }
    }

    static String post(HttpClient http, String address, String op, String params) throws Exception {
        String envelope = "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" "
                + "xmlns:ns1=\"urn:pb_tamtam\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                + "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><SOAP-ENV:Body><ns1:" + op + ">"
                + "<clientLogin xsi:type=\"xsd:string\">demo</clientLogin><clientPassword xsi:type=\"xsd:string\">"
                + "demo-secret</clientPassword>" + params + "</ns1:" + op + "></SOAP-ENV:Body></SOAP-ENV:Envelope>";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(address))
                .header("Content-Type", "text/xml; charset=utf-8").header("SOAPAction", "urn:pb_tamtam#" + op)
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(op + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    static String field(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + "[^>]*>([^<]*)</" + name + ">").matcher(xml);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + xml);
        }
        return m.group(1);
    }

    static String readAddress(InputStream in) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(in));
        for (String line; (line = r.readLine()) != null;) {
            if (line.startsWith("ADDRESS ")) {
                return line.substring(8).trim();
            }
        }
        throw new IllegalStateException("simulator did not start");
    }

    static long heapUsed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long settledHeap() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return heapUsed();
    }

    static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    static void report(long idle, List<double[]> camelRuns, List<double[]> plainRuns) {
        double camel = median(camelRuns, 0);
        double plain = median(plainRuns, 0);
        StringBuilder out = new StringBuilder();
        out.append(String.format("%n=== monema:fax benchmark: %d MB PDF, %d KiB chunks, %d rounds, max heap %d MB,"
                + " allowChunking=%s, %d cores, load %.1f ===%n", SIZE >> 20, CHUNK >> 10, camelRuns.size(),
                Runtime.getRuntime().maxMemory() >> 20, Boolean.getBoolean("bench.chunking"),
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        out.append(String.format("idle heap after GC: %.1f MB%n", idle / 1048576.0));
        for (int i = 0; i < camelRuns.size(); i++) {
            out.append(String.format("round %d: monema:fax %.1f MB/s (peak used +%.1f MB, after-GC +%.1f MB) | plain"
                    + " client %.1f MB/s (peak used +%.1f MB)%n", i + 1, camelRuns.get(i)[0], camelRuns.get(i)[1],
                    camelRuns.get(i)[2], plainRuns.get(i)[0], plainRuns.get(i)[1]));
        }
        out.append(String.format("median: monema:fax %.1f MB/s, plain client %.1f MB/s, ratio %.0f %% (target >= 80 %%)%n",
                camel, plain, 100 * camel / plain));
        out.append(String.format("monema:fax peak heap above idle: %.1f MB sampled max (target < 64 MB)%n",
                camelRuns.stream().mapToDouble(r -> r[1]).max().orElse(0)));
        System.out.println(out);
        try {
            Files.writeString(Path.of("target", "bench-monema-fax.txt"), out.toString());
        } catch (Exception e) {
            // printing is what matters
        }
    }

    static double median(List<double[]> runs, int index) {
        double[] v = runs.stream().mapToDouble(r -> r[index]).sorted().toArray();
        return v[v.length / 2];
    }

}
