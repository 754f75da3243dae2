package io.pbxbridge.testsupport;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;

/**
 * DEBUG for a logger and the loggers under it while open; closing puts the configuration back as it was (no logger
 * configuration left behind to shadow another test's).
 */
public final class DebugLog implements AutoCloseable {

    private final String name;
    private final Level previous;
    private final boolean added;

    private DebugLog(String name) {
        this.name = name;
        Configuration config = context().getConfiguration();
        LoggerConfig existing = config.getLoggers().get(name);
        added = existing == null;
        previous = added ? null : existing.getLevel();
        if (added) {
            config.addLogger(name, new LoggerConfig(name, Level.DEBUG, true));
        } else {
            existing.setLevel(Level.DEBUG);
        }
        context().updateLoggers();
    }

    /** DEBUG for {@code name}, e.g. {@code io.pbxbridge.vendor}. */
    public static DebugLog of(String name) {
        return new DebugLog(name);
    }

    @Override
    public void close() {
        Configuration config = context().getConfiguration();
        if (added) {
            config.removeLogger(name);
        } else {
            config.getLoggers().get(name).setLevel(previous);
        }
        context().updateLoggers();
    }

    private static LoggerContext context() {
        return (LoggerContext) LogManager.getContext(false);
    }
}
