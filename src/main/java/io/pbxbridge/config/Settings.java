package io.pbxbridge.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesResolvedValue;
import org.apache.camel.util.IOHelper;

import io.pbxbridge.support.Durations;
import io.pbxbridge.support.SecretMasking;

/**
 * The application's own settings (the keys of application.properties outside {@code camel.*}), each with its type
 * and range, declared once here and checked before any route starts. A value Camel would only trip over later (an
 * {@code abc} where a number belongs leaves a route restarting forever on a NullPointerException) stops the start-up
 * instead, with one line per problem: the key, the value, where it was set and what is expected.
 * <p>
 * Why a table of our own: Camel Main validates the {@code camel.*} options it binds to its own classes and to
 * components (a wrong type or enum fails the binding; {@link StartupFailure} says so in one line), but the
 * application's keys are only placeholders to Camel, resolved to text wherever a route uses them.
 */
public final class Settings {

    /** What a value must look like. */
    enum Kind {
        BOOLEAN("true or false"),
        /** Empty means: decided by pbx-bridge (a vendor switch: on when it is configured). */
        SWITCH("true, false or empty (on when configured)"),
        NUMBER("a whole number"),
        MILLIS("a duration in milliseconds"),
        DURATION("a duration: 90m, 1h30m, 24h, PT24H or milliseconds"),
        BYTES("a size in bytes"),
        PORT("a port number from 1 to 65535"),
        TEXT("a value (it is empty)"),
        ENDPOINT("a Camel endpoint URI, scheme:rest (e.g. file:data/events or direct:name)"),
        HTTP_URL("an http:// or https:// URL with a host"),
        HOST_PORTS("host:port, or several separated by commas"),
        CRON("a Quartz cron expression: seconds minutes hours day-of-month month day-of-week, e.g. 0 0/5 * * * ?"),
        WEBHOOK_SECRET("whsec_ followed by base64 (generate with: openssl rand -base64 24, and prefix whsec_)");

        final String expected;

        Kind(String expected) {
            this.expected = expected;
        }
    }

    /** One setting: its key, its kind and, for numbers, the range its value must be in. */
    record Setting(String key, Kind kind, long min, long max) {

        /** The problem with {@code value}, in words, or null when it is fine. */
        String check(String value) {
            String v = value == null ? "" : value.trim();
            switch (kind) {
                case BOOLEAN:
                    return v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null : kind.expected;
                case SWITCH:
                    return v.isEmpty() || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false") ? null
                            : kind.expected;
                case NUMBER, MILLIS, BYTES, PORT:
                    return checkNumber(v);
                case DURATION:
                    return isDuration(v) ? null : kind.expected;
                case TEXT:
                    return v.isEmpty() ? kind.expected : null;
                case ENDPOINT:
                    return ENDPOINT_URI.matcher(v).matches() ? null : kind.expected;
                case HTTP_URL:
                    return isHttpUrl(v) ? null : kind.expected;
                case HOST_PORTS:
                    return HOST_PORT_LIST.matcher(v).matches() ? null : kind.expected;
                case CRON:
                    return org.quartz.CronExpression.isValidExpression(v) ? null : kind.expected;
                case WEBHOOK_SECRET:
                    return v.isEmpty() || isWebhookSecret(v) ? null : kind.expected;
                default:
                    throw new IllegalStateException(kind.name());
            }
        }

        private static boolean isDuration(String v) {
            try {
                return !Durations.parse(v).isNegative();
            } catch (RuntimeException e) {
                return false;
            }
        }

        private String checkNumber(String v) {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                return expectedNumber();
            }
            return n < min || n > max ? expectedNumber() : null;
        }

        private String expectedNumber() {
            if (kind == Kind.PORT) {
                return kind.expected;
            }
            String range = max == Long.MAX_VALUE || max == Integer.MAX_VALUE ? " of at least " + min
                    : " from " + min + " to " + max;
            return kind == Kind.NUMBER ? kind.expected + range : kind.expected + " (a whole number" + range + ")";
        }
    }

    private static final Pattern ENDPOINT_URI = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:\\S.*");
    private static final Pattern HOST_PORT_LIST = Pattern.compile(
            "\\s*[^\\s:,]+:\\d{1,5}\\s*(,\\s*[^\\s:,]+:\\d{1,5}\\s*)*");

    /**
     * The settings of application.properties that are pbx-bridge's own, in the file's order; and the Camel Main ones it
     * ships whose bad values Camel 4.17 takes without a word ({@code camel.main.shutdown-timeout = x} starts).
     */
    static final List<Setting> ALL = List.of(
            number("camel.main.shutdown-timeout", 1, 86_400),
            flag("camel.main.stream-caching-enabled"),
            flag("camel.routecontroller.enabled"),
            millis("camel.routecontroller.back-off-delay", 0),
            // sandbox
            flag("sandbox.enabled"),
            text("sandbox.data"),
            // METASEC: its simulator, its switch, its events source and its harvest
            port("sandbox.metasec.port"),
            number("sandbox.metasec.call-interval-seconds", 0, 86_400),
            of("metasec.enabled", Kind.SWITCH),
            flag("events.metasec.enabled"),
            flag("cdr.metasec.enabled"),
            of("cdr.metasec.cron", Kind.CRON),
            port("sandbox.monema.port"),
            number("sandbox.monema.call-interval-seconds", 0, 86_400),
            port("sandbox.escaux.http-port"),
            port("sandbox.escaux.event-port"),
            number("sandbox.escaux.call-interval-seconds", 0, 86_400),
            port("sandbox.portasip.port"),
            number("sandbox.portasip.call-interval-seconds", 0, 86_400),
            // vendor switches
            of("monema.enabled", Kind.SWITCH),
            of("escaux.enabled", Kind.SWITCH),
            of("escaux.rejected-uri", Kind.ENDPOINT),
            of("portasip.enabled", Kind.SWITCH),
            of("portasip.rejected-uri", Kind.ENDPOINT),
            of("vendor.health.failing-budget", Kind.DURATION),
            // MOR: the sandbox's simulator, the switch, the harvest, the pollers
            port("sandbox.mor.port"),
            number("sandbox.mor.call-interval-seconds", 0, 86_400),
            of("mor.enabled", Kind.SWITCH),
            flag("cdr.mor.enabled"),
            of("cdr.mor.cron", Kind.CRON),
            flag("mor.missed-calls.enabled"),
            of("mor.missed-calls.interval", Kind.DURATION),
            of("mor.missed-calls.max-age", Kind.DURATION),
            flag("mor.missed-calls.mark-processed"),
            flag("mor.new-calls.enabled"),
            of("mor.new-calls.interval", Kind.DURATION),
            flag("mor.faxes.enabled"),
            of("mor.faxes.interval", Kind.DURATION),
            of("mor.faxes.max-age", Kind.DURATION),
            // fax from a folder
            text("fax.outbox"),
            text("fax.sent"),
            text("fax.failed"),
            text("fax.state"),
            of("fax.events-uri", Kind.ENDPOINT),
            of("fax.events-forward-uri", Kind.ENDPOINT),
            millis("fax.poll-delay", 1),
            millis("fax.settle-millis", 0),
            millis("fax.sidecar-grace-millis", 0),
            new Setting("fax.chunk-size", Kind.BYTES, 1, Integer.MAX_VALUE),
            new Setting("fax.max-size", Kind.BYTES, 0, Long.MAX_VALUE),
            number("fax.concurrency", 1, 1000),
            millis("fax.retry.delay", 0),
            millis("fax.retry.max-delay", 0),
            of("fax.vendor-outage.max-wait", Kind.DURATION),
            of("fax.health.vendor-budget", Kind.DURATION),
            // event forwarding
            text("events.state"),
            text("events.spool.dir"),
            millis("events.spool.sync-interval", 1),
            new Setting("events.spool.max-bytes", Kind.BYTES, 1, Long.MAX_VALUE),
            text("events.deadletter.dir"),
            millis("events.retry.delay", 1),
            millis("events.retry.max-delay", 1),
            millis("events.drain-timeout", 0),
            flag("events.ndjson.enabled"),
            of("events.ndjson.uri", Kind.ENDPOINT),
            flag("events.kafka.enabled"),
            of("events.kafka.brokers", Kind.HOST_PORTS),
            text("events.kafka.topic"),
            millis("events.kafka.linger-ms", 0),
            new Setting("events.kafka.batch-bytes", Kind.BYTES, 0, Integer.MAX_VALUE),
            millis("events.kafka.request-timeout-ms", 1),
            millis("events.kafka.max-block-ms", 0),
            flag("events.email.enabled"),
            of("events.email.uri", Kind.ENDPOINT),
            flag("events.email.starttls"),
            flag("events.email.starttls-required"),
            millis("events.email.timeout", 1),
            text("events.email.from"),
            text("events.email.recipients"),
            text("events.email.templates"),
            flag("events.webhook.enabled"),
            of("events.webhook.url", Kind.HTTP_URL),
            of("events.webhook.secret", Kind.WEBHOOK_SECRET),
            millis("events.webhook.timeout", 1),
            // CDR harvest
            text("cdr.folder"),
            of("cdr.overlap", Kind.DURATION),
            of("cdr.lag", Kind.DURATION),
            of("cdr.first-run-lookback", Kind.DURATION),
            number("cdr.batch-size", 1, 100_000),
            of("cdr.unhealthy-lag", Kind.DURATION),
            flag("cdr.monema.enabled"),
            of("cdr.monema.cron", Kind.CRON),
            flag("cdr.escaux.enabled"),
            of("cdr.escaux.cron", Kind.CRON),
            text("cdr.escaux.extensions"),
            number("cdr.escaux.page-size", 1, 100_000),
            flag("cdr.missed-calls.enabled"),
            of("cdr.missed-calls.max-age", Kind.DURATION),
            flag("cdr.csv.enabled"),
            flag("cdr.postgres.enabled"),
            text("cdr.postgres.url"),
            text("cdr.postgres.user"),
            text("cdr.postgres.table"),
            number("cdr.postgres.pool-size", 1, 100),
            flag("cdr.kafka.enabled"),
            of("cdr.kafka.brokers", Kind.HOST_PORTS),
            text("cdr.kafka.topic"),
            flag("cdr.portasip.enabled"),
            of("cdr.portasip.cron", Kind.CRON),
            of("cdr.portasip.max-call-age", Kind.DURATION),
            text("commands.folder"),
            flag("commands.folder.enabled"),
            flag("commands.kafka.enabled"),
            of("commands.kafka.brokers", Kind.HOST_PORTS),
            text("commands.kafka.topic"),
            text("commands.kafka.results-topic"),
            text("commands.kafka.dead-letter-topic"),
            text("commands.kafka.group-id"),
            number("commands.kafka.consumers", 1, 100),
            millis("commands.kafka.session-timeout", 1000),
            millis("commands.kafka.heartbeat-interval", 100),
            new Setting("commands.max-bytes", Kind.BYTES, 256, 16 * 1024 * 1024),
            text("commands.store"),
            text("commands.postgres.url"),
            text("commands.postgres.user"),
            text("commands.postgres.table"),
            number("commands.postgres.pool-size", 1, 100),
            of("commands.retry.delay", Kind.DURATION),
            of("commands.retry.max-delay", Kind.DURATION),
            of("commands.retry.max-duration", Kind.DURATION),
            of("commands.stale-after", Kind.DURATION),
            of("commands.heartbeat", Kind.DURATION),
            of("commands.owner-timeout", Kind.DURATION),
            of("commands.retention", Kind.DURATION),
            text("commands.documents"),
            flag("commands.events"),
            // several instances
            flag("cluster.enabled"),
            text("cluster.service"),
            text("cluster.namespace-prefix"),
            text("cluster.routes"),
            of("cluster.consumer-restart-delay", Kind.DURATION),
            text("cluster.file.root"),
            of("cluster.file.acquire-lock-delay", Kind.DURATION),
            of("cluster.file.acquire-lock-interval", Kind.DURATION),
            number("cluster.file.heartbeat-timeout-multiplier", 2, 100),
            of("cluster.zookeeper.nodes", Kind.HOST_PORTS),
            text("cluster.zookeeper.base-path"),
            of("cluster.zookeeper.session-timeout", Kind.DURATION),
            of("cluster.zookeeper.connect-timeout", Kind.DURATION));

    /**
     * Checks the settings before Camel Main configures anything: the routes' beans bind their settings as the
     * routes load, before any {@code CamelConfiguration} runs, and a bad value would fail there in Camel's words.
     */
    public static final class Check extends org.apache.camel.main.MainListenerSupport {
        @Override
        public void beforeConfigure(org.apache.camel.main.BaseMainSupport main) {
            validate(main.getCamelContext());
        }
    }

    private Settings() {
    }

    /**
     * Checks every setting of {@link #ALL} as the routes will see it (placeholders resolved, environment variables
     * and system properties applied).
     *
     * @throws ConfigurationException naming every invalid setting, one per line
     */
    public static void validate(CamelContext context) {
        List<String> problems = new ArrayList<>();
        for (Setting setting : ALL) {
            Optional<String> value = resolve(context, setting.key());
            if (value.isEmpty()) {
                problems.add(setting.key() + " is not set (" + envName(setting.key()) + "): expected "
                        + setting.kind().expected);
                continue;
            }
            String problem = setting.check(value.get());
            if (problem != null) {
                problems.add(describe(context, setting.key(), value.get()) + ": expected " + problem);
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException(String.join("\n", problems));
        }
    }

    /** The value of {@code key} as the routes see it, empty when it is not set anywhere. */
    public static Optional<String> resolve(CamelContext context, String key) {
        return context.getPropertiesComponent().resolveProperty(key);
    }

    /** A setting that must have a value (checked at start-up), trimmed. */
    public static String require(CamelContext context, String key) {
        return resolve(context, key).orElseThrow(() -> new ConfigurationException(key + " is not set")).trim();
    }

    /** A duration setting ({@code 24h}, {@code 90m}, {@code PT24H} or ms), which must have a value. */
    public static Duration duration(CamelContext context, String key) {
        return Durations.parse(require(context, key));
    }

    /** Whether the boolean setting {@code key} is true (false when it is not set). */
    public static boolean isTrue(CamelContext context, String key) {
        return resolve(context, key).map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
    }

    /**
     * {@code key = "value" (where it was set)}, the value masked when the key is a secret: the start of every line
     * about a setting.
     */
    private static String describe(CamelContext context, String key, String value) {
        String shown = SecretMasking.isSecretKey(key) ? SecretMasking.MASK : value;
        return key + " = \"" + shown + "\" (" + source(context, key) + ")";
    }

    /** Where the value of {@code key} came from, in the words an operator uses to change it. */
    private static String source(CamelContext context, String key) {
        if (System.getProperty(key) != null) {
            return "-D" + key;
        }
        if (IOHelper.lookupEnvironmentVariable(key) != null) {
            return "environment variable " + envName(key);
        }
        String written = context.getPropertiesComponent().getResolvedValue(key)
                .map(PropertiesResolvedValue::originalValue).filter(v -> v.contains("{{")).map(v -> ": " + v)
                .orElse("");
        return "application.properties" + written;
    }

    /** The environment variable that sets {@code key}: upper case, dots and dashes as underscores. */
    public static String envName(String key) {
        return IOHelper.normalizeEnvironmentVariable(key).toUpperCase(Locale.ROOT);
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                    && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    static boolean isWebhookSecret(String value) {
        if (!value.startsWith("whsec_") || value.length() <= "whsec_".length()) {
            return false;
        }
        try {
            return Base64.getDecoder().decode(value.substring("whsec_".length())).length >= 16;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static Setting of(String key, Kind kind) {
        return new Setting(key, kind, 0, 0);
    }

    private static Setting flag(String key) {
        return of(key, Kind.BOOLEAN);
    }

    private static Setting text(String key) {
        return of(key, Kind.TEXT);
    }

    private static Setting port(String key) {
        return new Setting(key, Kind.PORT, 1, 65_535);
    }

    private static Setting number(String key, long min, long max) {
        return new Setting(key, Kind.NUMBER, min, max);
    }

    private static Setting millis(String key, long min) {
        return new Setting(key, Kind.MILLIS, min, Long.MAX_VALUE);
    }
}
