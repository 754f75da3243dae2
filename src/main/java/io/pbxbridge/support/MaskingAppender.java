package io.pbxbridge.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Filter;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.AppenderControl;
import org.apache.logging.log4j.core.config.AppenderRef;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;

/**
 * Stands in front of one log4j2 appender, under its name, and hands it each event with the secrets of
 * {@link SecretMasking} masked in the message and in the exception messages.
 * <p>
 * Installed in code rather than in log4j2.properties: a configurable rewrite policy would be a log4j2 plugin, whose
 * generated plugin index (Log4j2Plugins.dat) would take the place of log4j-core's in the shaded jar.
 */
final class MaskingAppender extends AbstractAppender {

    /** Contexts whose reconfigurations are followed (a new configuration has appenders of its own). */
    private static final Set<LoggerContext> FOLLOWED = Collections.newSetFromMap(new IdentityHashMap<>());

    private final AppenderControl target;

    private MaskingAppender(Appender target) {
        super(target.getName(), null, target.getLayout(), target.ignoreExceptions(), Property.EMPTY_ARRAY);
        // the control applies the target's own filter and started check, as the logger's would
        this.target = new AppenderControl(target, null, null);
    }

    /**
     * Puts a masking appender in front of every appender of every logger of the current log4j2 configuration (not
     * already masked), and of the configurations that replace it. Nothing when log4j2 is not the logging backend.
     */
    static synchronized void install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return;
        }
        wrap(context, context.getConfiguration());
        if (FOLLOWED.add(context)) {
            context.addPropertyChangeListener(event -> {
                if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
                        && event.getNewValue() instanceof Configuration configuration) {
                    synchronized (MaskingAppender.class) {
                        wrap(context, configuration);
                    }
                }
            });
        }
    }

    private static void wrap(LoggerContext context, Configuration configuration) {
        Map<Appender, MaskingAppender> masks = new IdentityHashMap<>();
        List<LoggerConfig> loggers = new ArrayList<>(configuration.getLoggers().values());
        if (!loggers.contains(configuration.getRootLogger())) {
            loggers.add(configuration.getRootLogger());
        }
        boolean changed = false;
        for (LoggerConfig logger : loggers) {
            for (Map.Entry<String, Appender> e : logger.getAppenders().entrySet()) {
                Appender appender = e.getValue();
                if (appender instanceof MaskingAppender) {
                    continue;
                }
                Level level = null;
                Filter filter = null;
                for (AppenderRef ref : logger.getAppenderRefs()) {
                    if (ref.getRef().equals(e.getKey())) {
                        level = ref.getLevel();
                        filter = ref.getFilter();
                    }
                }
                MaskingAppender mask = masks.computeIfAbsent(appender, MaskingAppender::new);
                mask.start();
                logger.removeAppender(e.getKey());
                logger.addAppender(mask, level, filter);
                changed = true;
            }
        }
        if (changed) {
            context.updateLoggers(configuration);
        }
    }

    @Override
    public void append(LogEvent event) {
        if (SecretMasking.isQuiet()) {
            return;
        }
        target.callAppender(mask(event));
    }

    /** {@code event}, or a copy with the secrets masked. */
    static LogEvent mask(LogEvent event) {
        Message message = event.getMessage();
        String text = message == null ? null : message.getFormattedMessage();
        String maskedText = SecretMasking.mask(text);
        Throwable thrown = event.getThrown();
        Throwable maskedThrown = maskThrowable(thrown, 0);
        if (maskedText == text && maskedThrown == thrown) {
            return event;
        }
        return new Log4jLogEvent.Builder(event).setMessage(new SimpleMessage(maskedText)).setThrown(maskedThrown)
                .setThrownProxy(null).build();
    }

    /** {@code t}, or when a message of it or its causes holds a secret, a copy of the chain with them masked. */
    private static Throwable maskThrowable(Throwable t, int depth) {
        if (t == null || depth > 32) {
            return t;
        }
        Throwable cause = t.getCause() == t ? null : t.getCause();
        Throwable maskedCause = maskThrowable(cause, depth + 1);
        String message = t.getMessage();
        String maskedMessage = SecretMasking.mask(message);
        if (maskedMessage == message && maskedCause == cause) {
            return t;
        }
        MaskedException copy = new MaskedException(t.getClass().getName()
                + (maskedMessage == null ? "" : ": " + maskedMessage), maskedCause);
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** An exception whose message held a secret: its class name and masked message, its stack trace. */
    static final class MaskedException extends RuntimeException {

        private static final long serialVersionUID = 1L;

        MaskedException(String message, Throwable cause) {
            super(message, cause, false, true);
        }
    }
}
