package org.rodsgate.reverse.place;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

/** Copy windows: by day, over midnight, open-ended, across a daylight-saving change. */
class TimeWindowTest {
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    static long at(int y, int mo, int d, int h, int mi, ZoneId z) {
        return ZonedDateTime.of(y, mo, d, h, mi, 0, 0, z).toInstant().toEpochMilli();
    }

    @Test
    void overMidnight() {
        TimeWindow w = new TimeWindow(LocalTime.of(22, 0), LocalTime.of(6, 0), BERLIN);
        assertTrue(w.isOpen(at(2026, 12, 1, 23, 0, BERLIN)));
        assertTrue(w.isOpen(at(2026, 12, 2, 5, 59, BERLIN)));
        assertFalse(w.isOpen(at(2026, 12, 2, 6, 0, BERLIN)));
        assertEquals(at(2026, 12, 2, 22, 0, BERLIN), w.nextOpen(at(2026, 12, 2, 12, 0, BERLIN)));
    }

    @Test
    void byDayAndAfterItsEnd() {
        TimeWindow w = new TimeWindow(LocalTime.of(9, 0), LocalTime.of(17, 0), BERLIN);
        assertFalse(w.isOpen(at(2026, 12, 1, 8, 59, BERLIN)));
        assertTrue(w.isOpen(at(2026, 12, 1, 9, 0, BERLIN)));
        assertEquals(at(2026, 12, 2, 9, 0, BERLIN), w.nextOpen(at(2026, 12, 1, 17, 0, BERLIN)));
        assertEquals(at(2026, 12, 1, 9, 0, BERLIN), w.nextOpen(at(2026, 12, 1, 3, 0, BERLIN)));
    }

    @Test
    void openEndedAndAlways() {
        assertTrue(new TimeWindow(null, null, BERLIN).isOpen(0));
        assertTrue(new TimeWindow(LocalTime.NOON, LocalTime.NOON, BERLIN).isOpen(0), "equal times: all day");
        TimeWindow fromTen = new TimeWindow(LocalTime.of(22, 0), null, BERLIN);
        assertFalse(fromTen.isOpen(at(2026, 12, 1, 21, 0, BERLIN)));
        assertTrue(fromTen.isOpen(at(2026, 12, 1, 23, 30, BERLIN)));
        TimeWindow untilSix = new TimeWindow(null, LocalTime.of(6, 0), BERLIN);
        assertTrue(untilSix.isOpen(at(2026, 12, 1, 1, 0, BERLIN)));
        assertEquals(at(2026, 12, 2, 0, 0, BERLIN), untilSix.nextOpen(at(2026, 12, 1, 7, 0, BERLIN)));
    }

    @Test
    void acrossTheSpringForwardChange() {
        // 2026-03-29 in Berlin: 02:00 becomes 03:00; a window opening at 02:30 opens at 03:30 local that day
        TimeWindow w = new TimeWindow(LocalTime.of(2, 30), LocalTime.of(5, 0), BERLIN);
        long next = w.nextOpen(at(2026, 3, 29, 1, 0, BERLIN));
        assertEquals(at(2026, 3, 29, 3, 30, BERLIN), next);
        assertTrue(w.isOpen(next));
    }
}
