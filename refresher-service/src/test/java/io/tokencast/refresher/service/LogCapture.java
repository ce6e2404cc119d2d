package io.tokencast.refresher.service;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Keeps every log line of the test JVM (message and stack trace) for the secret scan. Spring Boot is told
 * to leave Logback alone ({@code org.springframework.boot.logging.LoggingSystem=none}), or it would reset
 * the configuration and drop this appender.
 */
final class LogCapture extends AppenderBase<ILoggingEvent> {

    private static final LogCapture INSTANCE = install();

    /** Guarded by this appender, whose {@code doAppend} holds its lock while appending. */
    private final List<String> lines = new ArrayList<>();

    static LogCapture get() {
        return INSTANCE;
    }

    private static LogCapture install() {
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        LogCapture capture = new LogCapture();
        capture.setContext(context);
        capture.setName("secret-scan");
        capture.start();
        context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(capture);
        return capture;
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = event.getLoggerName() + " " + event.getFormattedMessage();
        if (event.getThrowableProxy() != null) {
            line += " " + ThrowableProxyUtil.asString(event.getThrowableProxy());
        }
        lines.add(line);
    }

    /** Every line so far. */
    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    /** Where the next line will be: {@link #linesSince(int)} of it returns the lines logged after this call. */
    synchronized int mark() {
        return lines.size();
    }

    /** The lines logged since {@code mark} was taken. */
    synchronized List<String> linesSince(int mark) {
        return List.copyOf(lines.subList(mark, lines.size()));
    }
}
