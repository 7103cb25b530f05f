package org.rodsgate.watch;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Paces a periodic task that keeps failing: after a failure the next run waits twice as long (from the poll period
 * up to a maximum), and the log hears of an episode only at its start, at each doubling of the pause and at its end
 * — so a broken `omero` command or a catalog that is down costs a handful of lines an hour, not one per poll.
 * Not thread-safe: one scheduler thread calls it.
 */
public final class CycleBackoff {
    private final Duration first;
    private final Duration max;
    private final LongSupplier clock;
    private Duration pause = Duration.ZERO;
    private long nextNanos;
    private int failures;
    private String lastMessage;

    public CycleBackoff(Duration first, Duration max) {
        this(first, max, System::nanoTime);
    }

    CycleBackoff(Duration first, Duration max, LongSupplier clock) {
        this.first = first.isZero() ? Duration.ofSeconds(1) : first;
        this.max = max;
        this.clock = clock;
    }

    /** Whether the task should run now. */
    public boolean due() {
        return failures == 0 || clock.getAsLong() - nextNanos >= 0;
    }

    /** A failed run: the line to log, if this failure is worth a line (the first, a new message, or a new pause). */
    public Optional<String> failed(String message) {
        failures++;
        Duration before = pause;
        pause = failures == 1 ? first : (pause.multipliedBy(2).compareTo(max) > 0 ? max : pause.multipliedBy(2));
        nextNanos = clock.getAsLong() + pause.toNanos();
        boolean newMessage = !String.valueOf(message).equals(lastMessage);
        lastMessage = String.valueOf(message);
        if (failures == 1 || newMessage || !pause.equals(before)) {
            return Optional.of("watch cycle failed" + (failures > 1 ? " (" + failures + " times in a row)" : "") + ": "
                + message + "; next try in " + pause.toSeconds() + " s");
        }
        return Optional.empty();
    }

    /** A run that succeeded: a line when it ends a failing episode. */
    public Optional<String> succeeded() {
        if (failures == 0) {
            return Optional.empty();
        }
        String line = "watch cycle works again after " + failures + " failed attempt(s)";
        failures = 0;
        pause = Duration.ZERO;
        lastMessage = null;
        return Optional.of(line);
    }
}
