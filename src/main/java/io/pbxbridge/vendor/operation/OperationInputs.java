package io.pbxbridge.vendor.operation;

import java.util.Collection;
import java.util.function.BiFunction;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.PropertyConfigurerGetter;

import io.pbxbridge.vendor.VendorException;

/**
 * The inputs of one call: each from its header first, else from the endpoint option of the same name, converted by
 * Camel's type converters. Asking for an input the operation does not declare is a programming error; a required
 * input that is missing or blank is the vendor's {@link VendorException.Kind#INVALID_REQUEST} failure, thrown before
 * anything is sent.
 */
public final class OperationInputs {

    private final Exchange exchange;
    private final VendorOperation<?> operation;
    private final Object endpoint;
    private final PropertyConfigurerGetter options;
    private final String headerPrefix;
    private final BiFunction<String, String, ? extends VendorException> invalid;

    /**
     * @param options the endpoint's generated configurer, which reads an option by name
     * @param invalid the vendor's exception for a request refused before sending (operation, message)
     */
    public OperationInputs(Exchange exchange, VendorOperation<?> operation, Object endpoint,
                           PropertyConfigurerGetter options, String headerPrefix,
                           BiFunction<String, String, ? extends VendorException> invalid) {
        this.exchange = exchange;
        this.operation = operation;
        this.endpoint = endpoint;
        this.options = options;
        this.headerPrefix = headerPrefix;
        this.invalid = invalid;
    }

    public Exchange exchange() {
        return exchange;
    }

    public Message message() {
        return exchange.getIn();
    }

    /** The input as a string; a collection in the header becomes a comma-separated list. Null when not given. */
    public String string(String name) {
        OperationInput input = declared(name);
        Object v = raw(input);
        String s = v instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                : v != null ? v.toString() : null;
        if (input.required() && (s == null || s.isBlank())) {
            throw missing(input);
        }
        return s;
    }

    /** The input converted to {@code type}; null when not given (and not required). */
    public <T> T get(String name, Class<T> type) {
        OperationInput input = declared(name);
        Object v = raw(input);
        if (v == null || v instanceof String s && s.isBlank()) {
            if (input.required()) {
                throw missing(input);
            }
            return null;
        }
        try {
            return exchange.getContext().getTypeConverter().mandatoryConvertTo(type, exchange, v);
        } catch (Exception e) {
            throw invalid(name + " '" + v + "' is not a " + type.getSimpleName());
        }
    }

    /** A yes/no input: false when not given. */
    public boolean flag(String name) {
        Boolean b = get(name, Boolean.class);
        return b != null && b;
    }

    /** The raw value, header first, not converted (for inputs that may come in several shapes), or null. */
    public Object value(String name) {
        return raw(declared(name));
    }

    /** The raw header value (not converted), or null. */
    public Object header(String name) {
        return exchange.getIn().getHeader(declared(name).header(headerPrefix));
    }

    /** The endpoint option's value (ignoring the header), or null. */
    public Object option(String name) {
        return options.getOptionValue(endpoint, declared(name).name(), false);
    }

    /** The header that carries {@code name}, for messages that tell the user where to put it. */
    public String headerName(String name) {
        return declared(name).header(headerPrefix);
    }

    /** The vendor's exception for an input the vendor would refuse or misread. */
    public VendorException invalid(String message) {
        return invalid.apply(operation.name(), message);
    }

    private Object raw(OperationInput input) {
        Object v = exchange.getIn().getHeader(input.header(headerPrefix));
        return v != null ? v : options.getOptionValue(endpoint, input.name(), false);
    }

    private VendorException missing(OperationInput input) {
        return invalid("needs " + input.name() + ": set the option or the " + input.header(headerPrefix) + " header");
    }

    private OperationInput declared(String name) {
        for (OperationInput input : operation.inputs()) {
            if (input.name().equals(name)) {
                return input;
            }
        }
        throw new IllegalStateException(operation.name() + " does not declare the input " + name);
    }
}
