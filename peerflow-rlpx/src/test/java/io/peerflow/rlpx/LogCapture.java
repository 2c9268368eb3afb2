package io.peerflow.rlpx;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Records log events of a logger (and its children) while open, so tests can assert that a line was
 * logged, e.g. every disconnect's, and that nothing escaped to Netty's pipeline tail.
 */
final class LogCapture implements AutoCloseable {

  private final Logger logger;
  private final Level previous;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(String name, Level level) {
    logger = (Logger) LoggerFactory.getLogger(name);
    previous = logger.getLevel();
    logger.setLevel(level);
    appender.start();
    logger.addAppender(appender);
  }

  /** Disconnect lines. */
  static LogCapture disconnects() {
    return new LogCapture(SessionHandler.DISCONNECT_LOGGER, Level.INFO);
  }

  /** Netty's warnings, e.g. an exception reaching the pipeline's tail. */
  static LogCapture nettyWarnings() {
    return new LogCapture("io.netty", Level.WARN);
  }

  List<String> lines() {
    // ListAppender appends under AppenderBase's synchronized doAppend, i.e. the appender's own
    // monitor; reading under the list's monitor would race with it.
    synchronized (appender) {
      return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }
  }

  /** Waits up to {@code timeout} for a line matching {@code p}; returns it, or fails. */
  String await(Predicate<String> p, Duration timeout) throws InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      for (String line : lines()) {
        if (p.test(line)) {
          return line;
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("no matching log line within " + timeout + "; got " + lines());
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    logger.setLevel(previous);
  }
}
