package io.pbxbridge.bench;

import java.io.BufferedWriter;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamReader;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.pbxbridge.cdr.sink.KafkaCallRecordSink;
import io.pbxbridge.model.CallRecord;
import io.pbxbridge.model.Direction;
import io.pbxbridge.model.Disposition;
import io.pbxbridge.monema.Calls;
import io.pbxbridge.support.IsoInstant;
import io.pbxbridge.support.Json;

/**
 * The baseline of {@link CdrHarvestBench}: the harvest done by hand, without Camel, the way a user would write it.
 * C_getCalls posted with {@code java.net.http} (the request the {@code monema:cdr} consumer sends: the window's dates,
 * {@code fromId} from the last id read, until an answer lists no call), each answer read as it arrives with StAX,
 * each call mapped to the {@link CallRecord} the sinks get, then written by one of three plain writers: a buffered
 * CSV writer (one file per UTC day, the sink's columns and quoting), JDBC batch inserts on one connection (the sink's
 * table, {@code ON CONFLICT DO NOTHING}, a commit per batch), a {@link KafkaProducer} (the sink's settings: idempotent,
 * {@code acks=all}, {@code linger.ms=5}; the same keys, JSON values and headers), flushed at the end.
 *
 * <p>It formats instants and JSON with the same helpers as the sinks ({@link IsoInstant}, {@link Json#MAPPER}): the
 * ratio then measures the harvest's machinery, not a slower formatter on either side.
 */
final class PlainCdrHarvest {

    static final String VENDOR = "monema";
    private static final DateTimeFormatter PBX_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final XMLInputFactory XML = XMLInputFactory.newInstance();

    /** Where the records go. */
    interface RecordWriter extends AutoCloseable {
        void write(CallRecord r) throws Exception;

        /** Everything written is stored (committed, acknowledged, on disk). */
        @Override
        void close() throws Exception;
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final URI address;
    private final String login;
    private final String password;
    private final String source;

    PlainCdrHarvest(String address, String login, String password) {
        this.address = URI.create(address);
        this.login = login;
        this.password = password;
        this.source = this.address.getHost() + "/" + login;
    }

    String source() {
        return source;
    }

    /** Reads the calls of {@code (from, to]} page by page into {@code out}; the number of records written. */
    long harvest(Instant from, Instant to, RecordWriter out) throws Exception {
        long records = 0;
        String fromId = "";
        while (true) {
            long lastId = Long.MIN_VALUE;
            int calls = 0;
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(address)
                    .header("Content-Type", "text/xml; charset=utf-8")
                    .header("SOAPAction", "\"urn:pb_tamtam#C_getCalls\"")
                    .POST(HttpRequest.BodyPublishers.ofString(envelope(PBX_TIME.format(from),
                            PBX_TIME.format(to.plusSeconds(1)), fromId)))
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("C_getCalls: HTTP " + response.statusCode());
                }
                XMLStreamReader xml = XML.createXMLStreamReader(body);
                Map<String, String> fields = new HashMap<>();
                while (xml.hasNext()) {
                    if (xml.next() != XMLStreamConstants.START_ELEMENT || !"item".equals(xml.getLocalName())) {
                        continue;
                    }
                    fields.clear();
                    while (xml.nextTag() == XMLStreamConstants.START_ELEMENT) {
                        fields.put(xml.getLocalName(), xml.getElementText());
                    }
                    calls++;
                    CallRecord r = record(fields);
                    lastId = Math.max(lastId, ((Calls) r.raw()).id());
                    if (r.start().isAfter(from) && !r.start().isAfter(to)) {
                        out.write(r);
                        records++;
                    }
                }
                xml.close();
            }
            if (calls == 0) {
                return records;
            }
            fromId = Long.toString(lastId);
        }
    }

    private String envelope(String dateStart, String dateEnd, String fromId) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap"
                + ".org/soap/envelope/\"><SOAP-ENV:Body><ns1:C_getCalls xmlns:ns1=\"urn:pb_tamtam\" xmlns:xsi=\"http://"
                + "www.w3.org/2001/XMLSchema-instance\" xmlns:xsd=\"http://www.w3.org/2001/XMLSchema\" "
                + "SOAP-ENV:encodingStyle=\"http://schemas.xmlsoap.org/soap/encoding/\"><clientLogin xsi:type=\"xsd:"
                + "string\">" + login
                + "</clientLogin><ClientPassword xsi:type=\"xsd:string\">" + password + "</ClientPassword><dateStart "
                + "xsi:type=\"xsd:string\">" + dateStart + "</dateStart><dateEnd xsi:type=\"xsd:string\">" + dateEnd
                + "</dateEnd><fromId xsi:type=\"xsd:string\">" + fromId + "</fromId><type xsi:type=\"xsd:string\"/>"
                + "</ns1:C_getCalls></SOAP-ENV:Body></SOAP-ENV:Envelope>";
    }

    /** One call as the sinks get it: the neutral fields, and the vendor's call as {@code raw}. */
    private CallRecord record(Map<String, String> f) {
        Calls c = new Calls(Long.parseLong(f.get("id")), Long.parseLong(f.get("clients_id")), f.get("src"),
                f.get("dst"), Long.parseLong(f.get("duration")), f.get("disposition"), f.get("uniqueid"),
                Boolean.parseBoolean(f.get("recorded")), Long.parseLong(f.get("calldate")),
                Long.parseLong(f.get("accountcode")), new BigDecimal(f.get("cost")),
                Boolean.parseBoolean(f.get("ext_src_recorded")), Boolean.parseBoolean(f.get("ext_dst_recorded")));
        Instant start = Instant.ofEpochSecond(c.calldate());
        boolean answered = "ANSWERED".equals(c.disposition());
        return new CallRecord(VENDOR + ":" + source + ":" + c.id(), VENDOR, source, c.uniqueid(), start, null,
                start.plusSeconds(c.duration()), c.duration(), answered ? c.duration() : 0L, c.src(), c.dst(),
                direction(c.src(), c.dst()), disposition(c.disposition()), c.cost(), null,
                c.recorded() || c.extSrcRecorded() || c.extDstRecorded() ? Long.toString(c.id()) : null, c);
    }

    private static Direction direction(String src, String dst) {
        boolean srcExt = isExtension(src);
        boolean dstExt = isExtension(dst);
        return srcExt && dstExt ? Direction.INTERNAL : srcExt ? Direction.OUTBOUND
                : dstExt ? Direction.INBOUND : Direction.UNKNOWN;
    }

    private static boolean isExtension(String n) {
        if (n == null || n.length() < 2 || n.length() > 6) {
            return false;
        }
        for (int i = 0; i < n.length(); i++) {
            if (n.charAt(i) < '0' || n.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static Disposition disposition(String wire) {
        return switch (wire) {
            case "ANSWERED" -> Disposition.ANSWERED;
            case "NO ANSWER" -> Disposition.NO_ANSWER;
            case "BUSY" -> Disposition.BUSY;
            case "CANCEL" -> Disposition.CANCELLED;
            case "FAILED", "CONGESTION" -> Disposition.FAILED;
            default -> Disposition.UNKNOWN;
        };
    }

    // ---- the three writers ----------------------------------------------------------------------------------

    static final String CSV_HEADER = "key,vendor,source,callId,start,answer,end,duration,billsec,from,to,direction,"
            + "disposition,cost,currency,recording\r\n";

    /** One file per UTC day of the calls' start, {@code <folder>/<yyyy-MM-dd>.csv}, a buffered writer each. */
    static RecordWriter csv(Path folder) throws Exception {
        Files.createDirectories(folder);
        return new RecordWriter() {
            long day = Long.MIN_VALUE;
            Writer out;

            @Override
            public void write(CallRecord r) throws Exception {
                long d = Math.floorDiv(r.start().getEpochSecond(), 86_400);
                if (d != day) {
                    if (out != null) {
                        out.close();
                    }
                    Path file = folder.resolve(LocalDate.ofEpochDay(d) + ".csv");
                    boolean fresh = !Files.exists(file);
                    out = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND), StandardCharsets.UTF_8), 64 * 1024);
                    if (fresh) {
                        out.write(CSV_HEADER);
                    }
                    day = d;
                }
                text(out, r.key());
                text(sep(), r.vendor());
                text(sep(), r.source());
                text(sep(), r.callId());
                text(sep(), IsoInstant.format(r.start()));
                text(sep(), r.answer() == null ? null : IsoInstant.format(r.answer()));
                text(sep(), r.end() == null ? null : IsoInstant.format(r.end()));
                text(sep(), r.duration() == null ? null : r.duration().toString());
                text(sep(), r.billsec() == null ? null : r.billsec().toString());
                text(sep(), r.from());
                text(sep(), r.to());
                text(sep(), r.direction() == null ? null : r.direction().name());
                text(sep(), r.disposition() == null ? null : r.disposition().name());
                text(sep(), r.cost() == null ? null : r.cost().toPlainString());
                text(sep(), r.currency());
                text(sep(), r.recording());
                out.write("\r\n");
            }

            private Writer sep() throws Exception {
                out.write(',');
                return out;
            }

            @Override
            public void close() throws Exception {
                if (out != null) {
                    out.close();
                }
            }
        };
    }

    private static void text(Writer out, String v) throws Exception {
        if (v == null) {
            return;
        }
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\r') < 0 && v.indexOf('\n') < 0) {
            out.write(v);
        } else {
            out.write('"' + v.replace("\"", "\"\"") + '"');
        }
    }

    /** The sink's DDL, for the baseline's table. */
    static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS pbx_call_record (key text PRIMARY KEY, vendor text, "
            + "source text, call_id text, start_time timestamptz NOT NULL, answer_time timestamptz, end_time "
            + "timestamptz, duration bigint, billsec bigint, from_number text, to_number text, direction text, "
            + "disposition text, cost numeric, currency text, recording text, harvested_at timestamptz NOT NULL "
            + "DEFAULT now())";

    /** Batches of {@code batchSize} rows on one connection, each committed. */
    static RecordWriter jdbc(String url, String user, int batchSize) throws Exception {
        Connection c = DriverManager.getConnection(url, user, "");
        try (Statement s = c.createStatement()) {
            s.execute(TABLE_DDL);
            s.execute("CREATE INDEX IF NOT EXISTS pbx_call_record_start_time ON pbx_call_record (start_time)");
        }
        c.setAutoCommit(false);
        PreparedStatement insert = c.prepareStatement("INSERT INTO pbx_call_record (key, vendor, source, call_id, "
                + "start_time, answer_time, end_time, duration, billsec, from_number, to_number, direction, "
                + "disposition, cost, currency, recording) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (key) DO NOTHING");
        return new RecordWriter() {
            int pending;

            @Override
            public void write(CallRecord r) throws Exception {
                insert.setString(1, r.key());
                insert.setString(2, r.vendor());
                insert.setString(3, r.source());
                insert.setString(4, r.callId());
                insert.setObject(5, r.start().atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setObject(6, r.answer() == null ? null : r.answer().atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setObject(7, r.end() == null ? null : r.end().atOffset(ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
                insert.setObject(8, r.duration(), Types.BIGINT);
                insert.setObject(9, r.billsec(), Types.BIGINT);
                insert.setString(10, r.from());
                insert.setString(11, r.to());
                insert.setString(12, r.direction() == null ? null : r.direction().name());
                insert.setString(13, r.disposition() == null ? null : r.disposition().name());
                insert.setBigDecimal(14, r.cost());
                insert.setString(15, r.currency());
                insert.setString(16, r.recording());
                insert.addBatch();
                if (++pending == batchSize) {
                    flush();
                }
            }

            private void flush() throws Exception {
                insert.executeBatch();
                c.commit();
                pending = 0;
            }

            @Override
            public void close() throws Exception {
                try {
                    if (pending > 0) {
                        flush();
                    }
                } finally {
                    insert.close();
                    c.close();
                }
            }
        };
    }

    /**
     * A producer with the sink's settings sending each record as it is read (the sink's key, JSON value and
     * headers), flushed at the end; a record not acknowledged fails {@link RecordWriter#close()}.
     */
    static RecordWriter kafka(String bootstrap, String topic, String source, long run) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer());
        List<Header> headers = List.of(
                new RecordHeader(KafkaCallRecordSink.SOURCE_HEADER, source.getBytes(StandardCharsets.UTF_8)),
                new RecordHeader(KafkaCallRecordSink.RUN_HEADER, Long.toString(run).getBytes(StandardCharsets.UTF_8)),
                new RecordHeader("content-type", "application/json".getBytes(StandardCharsets.UTF_8)));
        AtomicReference<Exception> failure = new AtomicReference<>();
        return new RecordWriter() {
            @Override
            public void write(CallRecord r) throws Exception {
                producer.send(new ProducerRecord<>(topic, null, r.key(), Json.MAPPER.writeValueAsBytes(r), headers),
                        (md, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            }
                        });
            }

            @Override
            public void close() throws Exception {
                try {
                    producer.flush();
                } finally {
                    producer.close();
                }
                if (failure.get() != null) {
                    throw failure.get();
                }
            }
        };
    }
}
