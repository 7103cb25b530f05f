package org.rodsgate.cli;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One-line log records on stderr; level from {@code RODSGATE_LOG} (e.g. FINE), default INFO. */
final class Logging {
    private Logging() {}

    static void setup() {
        Level level;
        try {
            level = Level.parse(System.getenv().getOrDefault("RODSGATE_LOG", "INFO").toUpperCase());
        } catch (IllegalArgumentException e) {
            level = Level.INFO;
        }
        Logger root = Logger.getLogger("");
        for (var h : root.getHandlers()) {
            root.removeHandler(h);
        }
        ConsoleHandler h = new ConsoleHandler();
        h.setLevel(level);
        h.setFormatter(new Formatter() {
            @Override
            public String format(LogRecord r) {
                String t = "";
                if (r.getThrown() != null) {
                    java.io.StringWriter sw = new java.io.StringWriter();
                    r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                    t = "\n" + sw;
                }
                return Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel() + " "
                    + r.getLoggerName().replace("org.rodsgate.", "") + ": " + formatMessage(r) + t + "\n";
            }
        });
        root.addHandler(h);
        root.setLevel(level);
    }

    static void debug(Throwable e) {
        Logger.getLogger("org.rodsgate.cli").log(Level.FINE, "failure", e);
    }
}
