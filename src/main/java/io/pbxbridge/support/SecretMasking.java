package io.pbxbridge.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.camel.PropertiesLookupListener;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.apache.camel.util.SensitiveUtils;

/**
 * Keeps the values of secret settings out of the log at every level.
 * <p>
 * Camel logs resolved property values at DEBUG and TRACE whatever the key (DefaultPropertiesParser "Property with key
 * [env:MONEMA_PASSWORD:...] applied by function [env] -> value", "Found ... property: k with value: v",
 * DefaultCamelContextExtension "Resolved text: {{secret}} -> value", PropertiesComponent and DefaultPropertiesLookup
 * at TRACE, BaseMainSupport's and MainHelper's listing of the camel.* properties, the bean setters of
 * IntrospectionSupport and DefaultBeanIntrospection, endpoint URIs with {@code RAW(...)} values at TRACE); only its
 * INFO summary masks them. So the values themselves are masked, wherever they appear: {@link #install(Main)} collects
 * the value of every secret setting (environment variables and system properties with a secret name at once; the
 * secret keys of Camel's properties before Camel resolves any, and any further secret key Camel looks up) and puts
 * {@link MaskingAppender} in front of every log4j2 appender, which replaces them with {@value #MASK} in each event's
 * message and exception messages before the appender sees it.
 * <p>
 * A key is secret when its last part ends with password, secret, token, passphrase, ... (see
 * {@link #isSecretKey(String)}); names Camel counts as sensitive but whose values are identifiers (login, user,
 * clientId, ...) are not masked, or every occurrence of a user name in the log would be. Values shorter than
 * {@value #MIN_LENGTH} characters are not masked either.
 */
public final class SecretMasking {

    /** What a secret is replaced with in the log (as Camel does in URIs). */
    public static final String MASK = "xxxxxx";

    /** Shorter values are not masked: they would mask ordinary text everywhere. */
    public static final int MIN_LENGTH = 4;

    /** Key endings (lower case, without '-' and '_') whose values are secrets. */
    private static final String[] SECRET_SUFFIXES = { "password", "passwd", "secret", "passphrase", "passcode", "token",
            "apikey", "accesskey", "secretkey", "privatekey", "accountkey", "sharedkey", "authkey", "signingkey",
            "credential", "credentials", "connectionstring", "sasljaasconfig", "sassignature" };

    /** In Camel's sensitive keys but identifiers or file names rather than secrets. */
    private static final Set<String> NOT_SECRET = Set.of("login", "user", "username", "apiuser", "apiusername",
            "proxyuser", "proxyusername", "proxyauthusername", "clientid", "azureclientid", "oauthclientid",
            "emailaddress", "realm", "systemid", "accountsid", "serviceinstanceid", "publickeyid",
            "queueownerawsaccountid", "p12filename", "privatekeyfile", "privatekeyname", "oauthtokenurl",
            "securerandom");

    private static final Set<String> CAMEL_SECRET_KEYS = SensitiveUtils.getSensitiveKeys().stream()
            .map(k -> k.toLowerCase(Locale.ENGLISH)).filter(k -> !NOT_SECRET.contains(k))
            .collect(Collectors.toUnmodifiableSet());

    /** The values to mask, longest first (a secret may contain another). */
    private static volatile String[] secrets = new String[0];

    /** Depth of {@link #quietly} on this thread: log events of Camel resolving a secret for us are dropped. */
    private static final ThreadLocal<int[]> QUIET = ThreadLocal.withInitial(() -> new int[1]);

    private SecretMasking() {
    }

    /**
     * Masks secrets in every log event from now on and collects the secret settings of {@code main} before its
     * CamelContext resolves them. Call before {@code main} starts; calling again (another Main) is fine.
     */
    public static void install(Main main) {
        MaskingAppender.install();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            if (isSecretKey(e.getKey())) {
                addSecret(e.getValue());
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (isSecretKey(key)) {
                addSecret(System.getProperty(key));
            }
        }
        main.addMainListener(new CollectSecrets());
    }

    /**
     * Whether the value of a setting (a property key such as {@code events.webhook.secret}, a bean property such as
     * {@code signingSecret}, an environment variable such as {@code MONEMA_PASSWORD}) is a secret.
     */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String name = key.substring(key.lastIndexOf('.') + 1).toLowerCase(Locale.ENGLISH).replace("-", "")
                .replace("_", "");
        if (CAMEL_SECRET_KEYS.contains(name)) {
            return true;
        }
        for (String suffix : SECRET_SUFFIXES) {
            if (name.endsWith(suffix)) {
                return true;
            }
        }
        return false;
    }

    /** Masks {@code value} (and its URL-, XML- and JSON-escaped forms) in every log event from now on. */
    public static void addSecret(String value) {
        if (value == null || value.length() < MIN_LENGTH || value.contains("{{") || value.equalsIgnoreCase("true")
                || value.equalsIgnoreCase("false")) {
            return;
        }
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        String urlEncoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        forms.add(urlEncoded);
        forms.add(urlEncoded.replace("+", "%20"));
        forms.add(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&apos;"));
        forms.add(value.replace("\\", "\\\\").replace("\"", "\\\""));
        synchronized (SecretMasking.class) {
            Set<String> all = new LinkedHashSet<>(Arrays.asList(secrets));
            if (all.addAll(forms)) {
                secrets = all.stream().sorted(Comparator.comparingInt(String::length).reversed())
                        .toArray(String[]::new);
            }
        }
    }

    /** {@code text} with every secret replaced by {@value #MASK}; the same instance when it holds none. */
    public static String mask(String text) {
        String[] current = secrets;
        if (text == null || current.length == 0) {
            return text;
        }
        String masked = text;
        for (String secret : current) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }

    /** Whether {@code text} holds a secret. */
    public static boolean containsSecret(String text) {
        return mask(text) != text;
    }

    static boolean isQuiet() {
        return QUIET.get()[0] > 0;
    }

    /** Runs {@code action} with this thread's log events dropped: Camel logs the values it resolves for us. */
    static <T> T quietly(Supplier<T> action) {
        int[] depth = QUIET.get();
        depth[0]++;
        try {
            return action.get();
        } finally {
            depth[0]--;
        }
    }

    /** Resolves {@code text} (placeholders) quietly and masks the result; failures are Camel's to report later. */
    private static void resolveQuietly(PropertiesComponent pc, String text) {
        quietly(() -> {
            try {
                addSecret(pc.parseUri(text));
            } catch (RuntimeException e) {
                // unresolvable here (a missing property, a template's local one): Camel says so when it needs it
            }
            return null;
        });
    }

    /**
     * Before the CamelContext is configured (its properties component already has its locations, initial and
     * override properties): resolves every secret key there is, and listens to the lookups for the ones that come
     * later (a secret key of the environment or a route template's parameter).
     */
    private static final class CollectSecrets extends MainListenerSupport {

        @Override
        public void beforeInitialize(BaseMainSupport main) {
            PropertiesComponent pc = main.getCamelContext().getPropertiesComponent();
            pc.addPropertiesLookupListener(new SecretLookups(pc));
            quietly(() -> {
                for (String key : pc.loadProperties().stringPropertyNames()) {
                    if (isSecretKey(key)) {
                        try {
                            pc.resolveProperty(key).ifPresent(SecretMasking::addSecret);
                        } catch (RuntimeException e) {
                            // as in resolveQuietly
                        }
                    }
                }
                return null;
            });
        }
    }

    /**
     * Camel calls this when it has found a property's value (before it logs it, except DefaultPropertiesLookup's
     * TRACE line, which is why the keys known beforehand are resolved first): a secret key's value is masked; one
     * with placeholders is resolved (quietly) and its result masked.
     */
    private static final class SecretLookups implements PropertiesLookupListener {

        private final PropertiesComponent pc;

        SecretLookups(PropertiesComponent pc) {
            this.pc = pc;
        }

        @Override
        public void onLookup(String name, String value, String defaultValue, String source) {
            if (value == null || !isSecretKey(name)) {
                return;
            }
            if (!value.contains("{{")) {
                addSecret(value);
            } else if (!isQuiet()) {
                // not while resolving one already: a circular reference would never end
                resolveQuietly(pc, value);
            }
        }
    }
}
