package io.pbxbridge.config;

/**
 * pbx-bridge cannot start as configured. The message is one line an operator can act on: which setting (key and
 * environment variable), its value (masked when secret), and what is expected.
 */
public class ConfigurationException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
