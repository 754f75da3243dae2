package io.pbxbridge.vendor.http;

import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.ssl.SSLContexts;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.pbxbridge.support.SecretMasking;
import io.pbxbridge.vendor.VendorException;
import io.pbxbridge.vendor.VendorFailures;

/**
 * The HTTP transport of the HTTP-based vendor components (Escaux; PortaSIP JSON, MOR and METASEC next). One per
 * component and {@link VendorHttpSettings} ({@link io.pbxbridge.vendor.VendorComponent#client}); thread-safe; synchronous.
 * <p>
 * <b>A request is written at most once.</b> This is Apache HttpClient 5 (classic) with automatic retries disabled,
 * not the JDK's {@code java.net.http.HttpClient}: the JDK client sends a GET again by itself when the connection it
 * was written on closes without an answer ({@code MultiExchange} retries an idempotent request, e.g. on the
 * {@code ConnectionExpiredException} of a pooled connection the server closed), and a vendor's GET may change state:
 * Escaux's {@code ccOriginate} places a call, which the PBX would then place twice. Here the caller gets a
 * {@link VendorException} of kind {@link VendorException.Kind#NO_ANSWER} instead and decides. Keep-alive connections
 * the server closed while they were idle are found before use: a connection idle for more than
 * {@value #VALIDATE_AFTER_INACTIVITY_MS} ms is checked before a request is written on it.
 * <p>
 * Also: HTTP/1.1; redirects are not followed (a POST must not become a GET elsewhere, and a vendor's redirect can mean
 * "log in again": the codec sees the 3xx); cookies are not kept (one client serves every account of a component: the
 * session layer sends each account's cookie); servers are verified with the JVM's trust or the settings' trust
 * store, never "trust all".
 * <p>
 * {@link #send} returns a response of any status (a codec may read a fault in a 500), {@link #requireSuccess} turns
 * a non-2xx one into the vendor's exception through {@link VendorHttpFailures}; I/O failures are always the
 * vendor's exceptions. Values of secret parameters (the client's and the request's secret names, and every
 * {@link SecretMasking#isSecretKey secret key}) show as {@value SecretMasking#MASK} in the DEBUG lines and messages
 * written here. Apache HttpClient's own DEBUG log (request lines, headers, wire) would show them: log4j2.properties
 * keeps {@code org.apache.hc.client5.http} at INFO.
 */
public final class VendorHttpClient implements Closeable {

    static final long VALIDATE_AFTER_INACTIVITY_MS = 1000;
    /** Characters of an error reply's body quoted in a message. */
    private static final int BODY_PREVIEW = 200;
    /** Bytes of a streamed error reply read for its message. */
    private static final int STREAM_PREVIEW_BYTES = 4096;

    private static final Logger LOG = LoggerFactory.getLogger(VendorHttpClient.class);

    private final String vendor;
    private final VendorHttpSettings settings;
    private final VendorHttpFailures failures;
    private final Set<String> secretNames;
    private final RequestConfig requestConfig;
    private final CloseableHttpClient http;

    private VendorHttpClient(Builder b) {
        this.vendor = b.vendor;
        this.settings = b.settings;
        this.failures = b.failures != null ? b.failures : VendorHttpFailures.of(b.vendor);
        this.secretNames = Set.copyOf(b.secretNames);
        Timeout connectTimeout = Timeout.of(settings.connectTimeout());
        this.requestConfig = RequestConfig.custom().setConnectionRequestTimeout(connectTimeout)
                .setResponseTimeout(Timeout.of(settings.responseTimeout())).build();
        this.http = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setTlsSocketStrategy(new DefaultClientTlsStrategy(sslContext(settings.trustStore())))
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(connectTimeout)
                                .setValidateAfterInactivity(TimeValue.ofMilliseconds(VALIDATE_AFTER_INACTIVITY_MS))
                                .build())
                        .setMaxConnPerRoute(settings.maxConnections()).setMaxConnTotal(settings.maxConnections())
                        .build())
                .setDefaultRequestConfig(requestConfig)
                .disableAutomaticRetries()
                .disableRedirectHandling()
                .disableCookieManagement()
                .build();
    }

    /** @param vendor the component's scheme, e.g. {@code escaux}: it names the vendor in logs and exceptions */
    public static Builder builder(String vendor) {
        return new Builder(vendor);
    }

    public VendorHttpSettings settings() {
        return settings;
    }

    /**
     * Sends {@code request} once and reads the whole response, whatever its status.
     *
     * @throws VendorException the vendor's, when no complete response came back
     */
    public VendorHttpResponse send(VendorHttpRequest request) {
        long start = System.nanoTime();
        try {
            VendorHttpResponse response = http.execute(toApache(request), null, r -> {
                HttpEntity entity = r.getEntity();
                return new VendorHttpResponse(r, entity == null ? new byte[0] : EntityUtils.toByteArray(entity));
            });
            logResponse(request, response, start);
            return response;
        } catch (IOException e) {
            throw ioFailure(request, e);
        }
    }

    /** {@code response} when it is a 2xx, otherwise the vendor's exception for its status. */
    public VendorHttpResponse requireSuccess(VendorHttpRequest request, VendorHttpResponse response) {
        if (response.isSuccess()) {
            return response;
        }
        throw statusFailure(request, response);
    }

    /** {@link #send} and {@link #requireSuccess}. */
    public VendorHttpResponse sendForSuccess(VendorHttpRequest request) {
        return requireSuccess(request, send(request));
    }

    /**
     * Sends {@code request} once and hands over the body of a 2xx response as it comes: the caller must close the
     * result. Any other status is the vendor's exception, as in {@link #requireSuccess} (with the start of its body).
     */
    public VendorHttpStream sendStreaming(VendorHttpRequest request) {
        long start = System.nanoTime();
        ClassicHttpResponse response = null;
        try {
            response = http.executeOpen(null, toApache(request), null);
            VendorHttpStream stream = new VendorHttpStream(response);
            logResponse(request, stream, start);
            if (stream.isSuccess()) {
                return stream;
            }
            byte[] preview = stream.body().readNBytes(STREAM_PREVIEW_BYTES);
            throw statusFailure(request, new VendorHttpResponse(response, preview));
        } catch (IOException e) {
            closeQuietly(response);
            throw ioFailure(request, e);
        } catch (RuntimeException e) {
            closeQuietly(response);
            throw e;
        }
    }

    /** Closes the pool and its connections. */
    @Override
    public void close() {
        http.close(CloseMode.GRACEFUL);
    }

    @Override
    public String toString() {
        return "VendorHttpClient[" + vendor + ", " + settings + "]";
    }

    // ---- request ---------------------------------------------------------------------------------------------

    private HttpUriRequestBase toApache(VendorHttpRequest request) {
        Predicate<String> secret = secret(request);
        HttpUriRequestBase r = new HttpUriRequestBase(request.method().name(), URI.create(request.uri()));
        request.headers().forEach(h -> r.addHeader(h.name(), h.value()));
        if (request.isMultipart()) {
            r.setEntity(multipart(request));
        } else if (request.hasForm()) {
            r.setEntity(new ByteArrayEntity(request.encodedForm(name -> false).getBytes(StandardCharsets.US_ASCII),
                    ContentType.create("application/x-www-form-urlencoded")));
        } else if (request.body() != null) {
            r.setEntity(new ByteArrayEntity(request.body(), ContentType.parse(request.contentType())));
        }
        if (request.responseTimeout() != null) {
            r.setConfig(RequestConfig.copy(requestConfig).setResponseTimeout(Timeout.of(request.responseTimeout()))
                    .build());
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: {} {}{}", prefix(request), request.method(), request.maskedUri(secret),
                    request.isMultipart() ? " multipart " + request.encodedForm(secret)
                            + request.files().stream().map(f -> ", " + f).reduce("", String::concat)
                    : request.hasForm() ? " form " + request.encodedForm(secret)
                            : request.body() != null ? " body of " + request.body().length + " bytes" : "");
        }
        return r;
    }

    /**
     * A {@code multipart/form-data} entity: the form fields as UTF-8 text parts, then the file parts, streamed from
     * their bytes or files (never read whole into memory here).
     */
    private static HttpEntity multipart(VendorHttpRequest request) {
        MultipartEntityBuilder b = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED);
        ContentType text = ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8);
        for (VendorHttpRequest.Param p : request.formFields()) {
            b.addTextBody(p.name(), p.value(), text);
        }
        for (VendorHttpRequest.FilePart f : request.files()) {
            ContentType type = ContentType.parse(f.contentType());
            if (f.bytes() != null) {
                b.addBinaryBody(f.name(), f.bytes(), type, f.filename());
            } else {
                b.addBinaryBody(f.name(), f.path().toFile(), type, f.filename());
            }
        }
        return b.build();
    }

    /** Whether a parameter's value is a secret: the client's or the request's secret names, or a secret key. */
    private Predicate<String> secret(VendorHttpRequest request) {
        return name -> secretNames.contains(name.toLowerCase(Locale.ROOT)) || request.namesSecret(name)
                || SecretMasking.isSecretKey(name);
    }

    private String prefix(VendorHttpRequest request) {
        return vendor + " " + request.operation();
    }

    private void logResponse(VendorHttpRequest request, VendorHttpReply reply, long start) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: HTTP {} in {} ms", prefix(request), reply.status(), (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** The vendor's exception for a response that is not a 2xx. */
    private VendorException statusFailure(VendorHttpRequest request, VendorHttpResponse response) {
        int status = response.status();
        String message = prefix(request) + ": HTTP " + status
                + (response.reason() == null || response.reason().isEmpty() ? "" : " " + response.reason())
                + " from " + request.maskedUri(secret(request)) + bodyPreview(request, response.bodyAsString());
        if (VendorFailures.isTransientStatus(status)) {
            return failures.transientStatus(request, response, message);
        }
        if (status >= 400 && status < 500) {
            return failures.refusedStatus(request, response, message);
        }
        return failures.unexpectedStatus(request, response, message);
    }

    private String bodyPreview(VendorHttpRequest request, String body) {
        String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        if (b.isEmpty()) {
            return "";
        }
        b = request.maskValues(b, secret(request));
        return ": " + (b.length() > BODY_PREVIEW ? b.substring(0, BODY_PREVIEW) + "..." : b);
    }

    // ---- I/O failures ----------------------------------------------------------------------------------------

    private VendorException ioFailure(VendorHttpRequest request, IOException e) {
        String target = target(request);
        Duration responseTimeout = request.responseTimeout() != null ? request.responseTimeout()
                : settings.responseTimeout();
        String what;
        if (e instanceof ConnectionRequestTimeoutException) {
            what = "no pooled connection to " + target + " became free within " + settings.connectTimeout().toMillis()
                    + " ms (" + settings.maxConnections() + " in use)";
        } else if (e instanceof ConnectTimeoutException) {
            what = "cannot connect to " + target + " within " + settings.connectTimeout().toMillis() + " ms";
        } else if (e instanceof SocketTimeoutException) {
            what = "no answer from " + request.maskedUri(secret(request)) + " within " + responseTimeout.toMillis()
                    + " ms";
        } else if (e instanceof SSLException) {
            what = "TLS with " + target + " failed (is the server's certificate trusted by "
                    + (settings.trustStore() == null ? "the JVM's trust store" : "the trust store "
                            + settings.trustStore().path()) + "?)";
        } else if (e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof NoRouteToHostException) {
            what = "cannot connect to " + target;
        } else {
            what = "no answer from " + request.maskedUri(secret(request));
        }
        String message = prefix(request) + ": " + what + ": " + VendorFailures.rootMessage(e);
        return failures.ioFailure(request, request.maskValues(message, secret(request)), e);
    }

    /** {@code scheme://host:port}, for messages about the connection. */
    private static String target(VendorHttpRequest request) {
        URI a = URI.create(request.address());
        return a.getScheme() + "://" + a.getHost() + (a.getPort() < 0 ? "" : ":" + a.getPort());
    }

    private static void closeQuietly(ClassicHttpResponse response) {
        if (response != null) {
            try {
                response.close();
            } catch (IOException e) {
                // the failure being thrown says more
            }
        }
    }

    // ---- TLS -------------------------------------------------------------------------------------------------

    private static SSLContext sslContext(TrustStore trustStore) {
        if (trustStore == null) {
            return SSLContexts.createDefault();
        }
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustStore.trustManagerFactory().getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use the trust store " + trustStore.path() + ": "
                    + VendorFailures.rootMessage(e), e);
        }
    }

    /** Builds a {@link VendorHttpClient}. */
    public static final class Builder {

        private final String vendor;
        private VendorHttpSettings settings;
        private VendorHttpFailures failures;
        private final Set<String> secretNames = new TreeSet<>();

        private Builder(String vendor) {
            this.vendor = Objects.requireNonNull(vendor, "vendor");
        }

        public Builder settings(VendorHttpSettings settings) {
            this.settings = settings;
            return this;
        }

        /** How the vendor reports failures; default {@link VendorHttpFailures#of(String)}. */
        public Builder failures(VendorHttpFailures failures) {
            this.failures = failures;
            return this;
        }

        /** Names of parameters whose values are secrets in every request of this vendor, whatever their case. */
        public Builder secretParameters(Collection<String> names) {
            names.stream().map(n -> n.toLowerCase(Locale.ROOT)).forEach(secretNames::add);
            return this;
        }

        public Builder secretParameters(String... names) {
            return secretParameters(Arrays.asList(names));
        }

        public VendorHttpClient build() {
            Objects.requireNonNull(settings, "settings");
            return new VendorHttpClient(this);
        }
    }
}
