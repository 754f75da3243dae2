package io.pbxbridge.testsupport;

import java.util.ArrayList;
import java.util.List;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Records what is logged (every logger, from INFO up unless the configuration says otherwise) while open. */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<LogEvent> events = new ArrayList<>();

    private LogCapture() {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
    }

    public static LogCapture open() {
        LogCapture capture = new LogCapture();
        capture.start0();
        return capture;
    }

    private void start0() {
        start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().addAppender(this, null, null);
        context.updateLoggers();
    }

    @Override
    public synchronized void append(LogEvent event) {
        events.add(event.toImmutable());
    }

    /** The formatted messages of {@code level} from loggers whose name ends with {@code loggerSuffix}. */
    public synchronized List<String> messages(Level level, String loggerSuffix) {
        return events.stream().filter(e -> e.getLevel() == level && e.getLoggerName().endsWith(loggerSuffix))
                .map(e -> e.getMessage().getFormattedMessage()).toList();
    }

    /** The events of {@code level} from loggers whose name ends with {@code loggerSuffix}. */
    public synchronized List<LogEvent> events(Level level, String loggerSuffix) {
        return events.stream().filter(e -> e.getLevel() == level && e.getLoggerName().endsWith(loggerSuffix)).toList();
    }

    /** Every formatted message of {@code level}. */
    public synchronized List<String> messages(Level level) {
        return new ArrayList<>(events.stream().filter(e -> e.getLevel() == level)
                .map(e -> e.getMessage().getFormattedMessage()).toList());
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getRootLogger().removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
