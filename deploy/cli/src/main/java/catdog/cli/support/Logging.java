package catdog.cli.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for long-running commands. Short commands keep the quiet default of logback.xml (warnings
 * only) so their output stays readable; broker and serve show what they do. CATDOG_LOG_LEVEL wins.
 */
public final class Logging {
  private Logging() {}

  public static void showInfo(String loggerName) {
    if (System.getenv("CATDOG_LOG_LEVEL") != null) {
      return;
    }
    if (LoggerFactory.getLogger(loggerName) instanceof Logger logger) {
      logger.setLevel(Level.INFO);
    }
  }
}
