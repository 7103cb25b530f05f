package org.rodsgate.reverse.place;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * The hours of the day in which copies may start ({@link PlacementRule#windowStart()} to
 * {@link PlacementRule#windowEnd()}, local time of {@code zone}). A missing start means midnight, a missing end the
 * end of the day; an end at or before the start is a window over midnight (22:00-06:00); equal times mean the whole
 * day.
 */
record TimeWindow(LocalTime start, LocalTime end, ZoneId zone) {
    static TimeWindow of(PlacementRule r, ZoneId zone) {
        return new TimeWindow(r.windowStart(), r.windowEnd(), zone);
    }

    boolean always() {
        return start == null && end == null || start != null && start.equals(end);
    }

    /** Whether copies may start at {@code nowMillis}. */
    boolean isOpen(long nowMillis) {
        if (always()) {
            return true;
        }
        LocalTime t = Instant.ofEpochMilli(nowMillis).atZone(zone).toLocalTime();
        LocalTime s = start == null ? LocalTime.MIDNIGHT : start;
        if (end == null) {
            return !t.isBefore(s);
        }
        return s.isBefore(end) ? !t.isBefore(s) && t.isBefore(end) : !t.isBefore(s) || t.isBefore(end);
    }

    /** When the window opens next after {@code nowMillis} (epoch ms); {@code nowMillis} itself while it is open. */
    long nextOpen(long nowMillis) {
        if (isOpen(nowMillis)) {
            return nowMillis;
        }
        ZonedDateTime now = Instant.ofEpochMilli(nowMillis).atZone(zone);
        LocalTime s = start == null ? LocalTime.MIDNIGHT : start;
        ZonedDateTime today = now.toLocalDate().atTime(s).atZone(zone);
        ZonedDateTime next = today.isAfter(now) ? today : now.toLocalDate().plusDays(1).atTime(s).atZone(zone);
        return next.toInstant().toEpochMilli();
    }

    @Override
    public String toString() {
        return (start == null ? "00:00" : start) + "-" + (end == null ? "24:00" : end) + " " + zone;
    }
}
