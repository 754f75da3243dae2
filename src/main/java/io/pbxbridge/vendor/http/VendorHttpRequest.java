package io.pbxbridge.vendor.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import io.pbxbridge.support.SecretMasking;

/**
 * One request of a vendor operation: method, base address and path, query parameters and form fields in order, or a
 * raw body, headers. Immutable. Parameters with a secret name (the request's {@link Builder#secret}, the client's,
 * or any {@link SecretMasking#isSecretKey secret key}) are written as {@value SecretMasking#MASK} wherever the
 * transport writes the request (logs, exception messages); {@link #toString()} has no parameters at all.
 */
public final class VendorHttpRequest {

    public enum Method {
        GET,
        POST
    }

    /** A query parameter, form field or header. */
    record Param(String name, String value) {

        /** Without the value: it may be a secret. */
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The file part of a {@code multipart/form-data} request: its bytes in memory or a file streamed from disk (both
     * can be sent again, e.g. after a re-login).
     *
     * @param contentType e.g. {@code audio/basic}
     * @param bytes       the content, or null when it is {@code path}
     * @param path        the file to stream, or null when the content is {@code bytes}
     */
    public record FilePart(String name, String filename, String contentType, byte[] bytes, Path path) {

        public FilePart {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(contentType, "contentType");
            if ((bytes == null) == (path == null)) {
                throw new IllegalArgumentException("a file part has bytes or a path, one of both");
            }
        }

        /** The length in bytes, -1 when the file cannot be read. */
        public long length() {
            if (bytes != null) {
                return bytes.length;
            }
            try {
                return java.nio.file.Files.size(path);
            } catch (java.io.IOException e) {
                return -1;
            }
        }

        /** Without the content. */
        @Override
        public String toString() {
            return "FilePart[" + name + ", " + filename + ", " + contentType + ", " + length() + " bytes]";
        }
    }

    private final Method method;
    private final String address;
    private final String path;
    private final String operation;
    private final List<Param> query;
    private final List<Param> form;
    private final List<Param> headers;
    private final byte[] body;
    private final String contentType;
    private final Set<String> secretNames;
    private final Duration responseTimeout;
    private final boolean multipart;
    private final List<FilePart> files;
    private final List<String> secretValues;

    private VendorHttpRequest(Builder b) {
        this.method = b.method;
        this.address = b.address;
        this.path = b.path;
        this.operation = b.operation != null ? b.operation : b.path;
        this.query = List.copyOf(b.query);
        this.form = List.copyOf(b.form);
        this.headers = List.copyOf(b.headers);
        this.body = b.body;
        this.contentType = b.contentType;
        this.secretNames = Set.copyOf(b.secretNames);
        this.responseTimeout = b.responseTimeout;
        this.multipart = b.multipart || !b.files.isEmpty();
        this.files = List.copyOf(b.files);
        this.secretValues = List.copyOf(b.secretValues);
    }

    /** @param address {@code http(s)://host[:port][/base]}; @param path appended to it, e.g. {@code /xml/ccPing.php} */
    public static Builder get(String address, String path) {
        return new Builder(Method.GET, address, path);
    }

    public static Builder post(String address, String path) {
        return new Builder(Method.POST, address, path);
    }

    public Method method() {
        return method;
    }

    /** Base address, without a trailing {@code /}. */
    public String address() {
        return address;
    }

    public String path() {
        return path;
    }

    /** The operation's wire name (the path when none was given), for errors and logs. */
    public String operation() {
        return operation;
    }

    /** This request's own response timeout, or null for the client's. */
    public Duration responseTimeout() {
        return responseTimeout;
    }

    /** The method and the address without the query: nothing secret. */
    @Override
    public String toString() {
        return method + " " + address + path + " (" + operation + ")";
    }

    // ---- used by the client ----------------------------------------------------------------------------------

    String uri() {
        return address + path + (query.isEmpty() ? "" : "?" + encode(query, name -> false));
    }

    /** {@link #uri()} with secret values masked. */
    String maskedUri(Predicate<String> secret) {
        return mask(address + path + (query.isEmpty() ? "" : "?" + encode(query, secret)));
    }

    List<Param> headers() {
        return headers;
    }

    boolean hasForm() {
        return !form.isEmpty() || multipart;
    }

    /** Whether the form is sent as {@code multipart/form-data} (with its {@link #files()}). */
    boolean isMultipart() {
        return multipart;
    }

    /** The form fields, in order (multipart requests). */
    List<Param> formFields() {
        return form;
    }

    /** The file parts of a multipart request. */
    List<FilePart> files() {
        return files;
    }

    /** The form, {@code application/x-www-form-urlencoded}. */
    String encodedForm(Predicate<String> secret) {
        return encode(form, secret);
    }

    byte[] body() {
        return body;
    }

    String contentType() {
        return contentType;
    }

    /** Whether this request names {@code name} secret (whatever its case). */
    boolean namesSecret(String name) {
        return secretNames.contains(name.toLowerCase(Locale.ROOT));
    }

    /**
     * {@code text} (a reply's body, an exception's message) with the values of this request's secret parameters
     * masked, as they were sent and URL-encoded, in case the server echoes them. Values shorter than
     * {@link SecretMasking#MIN_LENGTH} are left: they would mask ordinary text.
     */
    String maskValues(String text, Predicate<String> secret) {
        if (text == null) {
            return null;
        }
        String masked = mask(text);
        for (List<Param> params : List.of(query, form)) {
            for (Param p : params) {
                if (secret.test(p.name()) && p.value().length() >= SecretMasking.MIN_LENGTH) {
                    masked = masked.replace(p.value(), SecretMasking.MASK)
                            .replace(URLEncoder.encode(p.value(), StandardCharsets.UTF_8), SecretMasking.MASK);
                }
            }
        }
        return masked;
    }

    /**
     * {@code text} (a vendor's fault text, a message) with this request's {@link Builder#secretValue secret values}
     * masked, as they are and URL-encoded.
     */
    public String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String v : secretValues) {
            masked = masked.replace(v, SecretMasking.MASK)
                    .replace(URLEncoder.encode(v, StandardCharsets.UTF_8), SecretMasking.MASK);
        }
        return masked;
    }

    private static String encode(List<Param> params, Predicate<String> secret) {
        StringBuilder b = new StringBuilder();
        for (Param p : params) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(p.name(), StandardCharsets.UTF_8)).append('=')
                    .append(secret.test(p.name()) ? SecretMasking.MASK : URLEncoder.encode(p.value(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** Builds a {@link VendorHttpRequest}; parameters and headers whose value is null are left out. */
    public static final class Builder {

        private final Method method;
        private final String address;
        private final String path;
        private String operation;
        private final List<Param> query = new ArrayList<>();
        private final List<Param> form = new ArrayList<>();
        private final List<Param> headers = new ArrayList<>();
        private byte[] body;
        private String contentType;
        private final Set<String> secretNames = new TreeSet<>();
        private Duration responseTimeout;
        private boolean multipart;
        private final List<FilePart> files = new ArrayList<>();
        private final List<String> secretValues = new ArrayList<>();

        private Builder(Method method, String address, String path) {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(path, "path");
            URI base;
            try {
                base = URI.create(address);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an http(s) address: " + address, e);
            }
            if (base.getHost() == null || !("http".equalsIgnoreCase(base.getScheme())
                    || "https".equalsIgnoreCase(base.getScheme()))) {
                throw new IllegalArgumentException("not an http(s) address: " + address);
            }
            this.method = method;
            this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
            this.path = path.isEmpty() || path.startsWith("/") ? path : "/" + path;
        }

        /** The operation's wire name, e.g. {@code ccOriginate}: it names the request in errors and logs. */
        public Builder operation(String operation) {
            this.operation = operation;
            return this;
        }

        /** Adds a query parameter, after the ones before it; a null value is left out. */
        public Builder query(String name, String value) {
            add(query, name, value);
            return this;
        }

        /** Adds an {@code application/x-www-form-urlencoded} form field (POST only); a null value is left out. */
        public Builder form(String name, String value) {
            if (method != Method.POST) {
                throw new IllegalStateException("a form needs POST, not " + method);
            }
            add(form, name, value);
            return this;
        }

        /**
         * Sends the form fields as {@code multipart/form-data} instead of {@code application/x-www-form-urlencoded}
         * (POST only); a request with a {@link #file} is multipart anyway.
         */
        public Builder multipart() {
            if (method != Method.POST) {
                throw new IllegalStateException("multipart needs POST, not " + method);
            }
            this.multipart = true;
            return this;
        }

        /** Adds a file part to a {@code multipart/form-data} request (POST only), after the form fields. */
        public Builder file(FilePart file) {
            if (method != Method.POST) {
                throw new IllegalStateException("a file part needs POST, not " + method);
            }
            files.add(Objects.requireNonNull(file, "file"));
            return this;
        }

        /** The body as is (POST only), e.g. JSON; not with form fields. */
        public Builder body(byte[] body, String contentType) {
            if (method != Method.POST) {
                throw new IllegalStateException("a body needs POST, not " + method);
            }
            this.body = Objects.requireNonNull(body, "body").clone();
            this.contentType = Objects.requireNonNull(contentType, "contentType");
            return this;
        }

        /** The body in UTF-8 (POST only); {@code contentType} should say {@code charset=UTF-8}. */
        public Builder body(String body, String contentType) {
            return body(body.getBytes(StandardCharsets.UTF_8), contentType);
        }

        /** Adds a header; a null value is left out. Header values are never logged. */
        public Builder header(String name, String value) {
            add(headers, name, value);
            return this;
        }

        /** Names of parameters or form fields whose values are secrets, whatever their case. */
        public Builder secret(String... names) {
            Arrays.stream(names).map(n -> n.toLowerCase(Locale.ROOT)).forEach(secretNames::add);
            return this;
        }

        /**
         * Values that are secrets wherever they appear (a password or session id inside a JSON field, echoed in a
         * fault): masked in the transport's messages and by {@link VendorHttpRequest#mask}. Null values and values
         * shorter than {@link SecretMasking#MIN_LENGTH} are ignored (they would mask ordinary text).
         */
        public Builder secretValue(String... values) {
            for (String v : values) {
                if (v != null && v.length() >= SecretMasking.MIN_LENGTH) {
                    secretValues.add(v);
                }
            }
            secretValues.sort((a, b) -> b.length() - a.length()); // a secret may contain another
            return this;
        }

        /** How long to wait for this request's response, instead of the client's response timeout. */
        public Builder responseTimeout(Duration responseTimeout) {
            VendorHttpSettings.requirePositive(responseTimeout, "responseTimeout");
            this.responseTimeout = responseTimeout;
            return this;
        }

        public VendorHttpRequest build() {
            if (body != null && (!form.isEmpty() || multipart || !files.isEmpty())) {
                throw new IllegalStateException("a request has form fields or a body, not both");
            }
            return new VendorHttpRequest(this);
        }

        private static void add(List<Param> params, String name, String value) {
            Objects.requireNonNull(name, "name");
            if (value != null) {
                params.add(new Param(name, value));
            }
        }
    }
}
