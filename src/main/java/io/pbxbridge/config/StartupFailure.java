package io.pbxbridge.config;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

import org.apache.camel.PropertyBindingException;
import org.apache.camel.TypeConversionException;
import org.apache.camel.util.StringHelper;

import io.pbxbridge.support.SecretMasking;

/**
 * What stopped pbx-bridge from starting, in the lines an operator reads: a {@link ConfigurationException} as it is,
 * and Camel's failure to bind a {@code camel.*} setting (a component option of the wrong type, an unknown enum value
 * or option) as one line naming the key, the value and what is expected, instead of Camel's chain of exceptions.
 * Anything else is not a configuration problem: {@link #describe} answers empty and the caller logs the whole
 * exception.
 */
public final class StartupFailure {

    private StartupFailure() {
    }

    /** The configuration problem behind {@code failure}, one line per problem, if it is one. */
    public static Optional<String> describe(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return Optional.of(c.getMessage());
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PropertyBindingException b && b.getPropertyName() != null) {
                return Optional.of(describe(b));
            }
        }
        return Optional.empty();
    }

    private static String describe(PropertyBindingException b) {
        String key = key(b);
        String value = b.getValue() == null ? "" : b.getValue().toString();
        String shown = SecretMasking.isSecretKey(key) ? SecretMasking.MASK : value;
        return key + " = \"" + shown + "\" (" + Settings.envName(key) + " or application.properties): "
                + expected(b);
    }

    /** The key as written in application.properties (Camel reports it in camelCase). */
    private static String key(PropertyBindingException b) {
        if (b.getOptionPrefix() == null || b.getOptionKey() == null) {
            return b.getPropertyName();
        }
        String prefix = b.getOptionPrefix().endsWith(".") ? b.getOptionPrefix() : b.getOptionPrefix() + ".";
        return prefix + StringHelper.camelCaseToDash(b.getOptionKey());
    }

    private static String expected(PropertyBindingException b) {
        TypeConversionException conversion = null;
        Throwable root = b;
        for (Throwable t = b.getCause(); t != null; t = t.getCause()) {
            if (t instanceof TypeConversionException tc) {
                conversion = tc;
            }
            root = t;
        }
        if (conversion != null && conversion.getToType() != null) {
            Class<?> type = conversion.getToType();
            if (type.isEnum()) {
                return "expected one of " + Arrays.stream(type.getEnumConstants()).map(Object::toString)
                        .collect(Collectors.joining(", "));
            }
            if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
                return "expected a whole number";
            }
            if (type == boolean.class || type == Boolean.class) {
                return "expected true or false";
            }
            return "expected a " + type.getSimpleName() + " (" + root.getMessage() + ")";
        }
        if (b.getCause() == null) {
            return "no such option on " + b.getTarget().getClass().getSimpleName();
        }
        return root.getMessage();
    }
}
