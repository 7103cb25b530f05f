package org.rodsgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Numeric settings read from a config, checked the same way everywhere: a value that is not a number (YAML reads
 * {@code abc}, {@code 5s} or {@code 1h} as text, which Jackson's lenient readers would take as the default or 0),
 * or out of its range, is an error naming the file, the setting and the value.
 */
final class Numbers {
    private Numbers() {}

    /**
     * Seconds (fractions allowed) at {@code n.key}, else {@code dflt}: {@code >= 0} when {@code zeroOk}, else
     * {@code > 0}; {@code name} is the setting's full name for the message (e.g. {@code watch.poll_seconds}).
     */
    static Duration seconds(JsonNode n, String key, String name, Duration dflt, boolean zeroOk, Path file)
        throws ConfigException {
        if (!n.has(key) || n.get(key).isNull()) {
            return dflt;
        }
        JsonNode v = n.get(key);
        double d = v.asDouble();
        if (!v.isNumber() || d < 0 || (!zeroOk && d == 0) || d > 1e9) {
            throw new ConfigException(file + ": " + name + " must be a number of seconds " + (zeroOk ? ">= 0" : "> 0")
                + ", not '" + v.asText() + "'");
        }
        return Duration.ofMillis((long) (d * 1000));
    }

    /** A whole number in [{@code min}, {@code max}] at {@code n.key}, else {@code dflt}. */
    static long whole(JsonNode n, String key, String name, long dflt, long min, long max, Path file)
        throws ConfigException {
        if (!n.has(key) || n.get(key).isNull()) {
            return dflt;
        }
        JsonNode v = n.get(key);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw new ConfigException(file + ": " + name + " must be a whole number from " + min + " to " + max
                + ", not '" + v.asText() + "'");
        }
        return v.asLong();
    }
}
