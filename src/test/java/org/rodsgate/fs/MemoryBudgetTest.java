package org.rodsgate.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemoryBudgetTest {
    @Test
    void grantsWhatIsFreeThenTheFloorAsAnOverdraftAndTakesEverythingBack() {
        MemoryBudget b = new MemoryBudget(20);
        MemoryBudget.Grant a = b.take(8, 2);
        MemoryBudget.Grant c = b.take(8, 2);
        assertEquals(8, a.size());
        assertEquals(8, c.size());
        MemoryBudget.Grant d = b.take(8, 2);
        assertEquals(4, d.size()); // what is left, above the floor
        MemoryBudget.Grant e = b.take(8, 2);
        assertEquals(2, e.size()); // nothing left: the floor, outside the budget
        assertEquals(new MemoryBudget.Usage(20, 20, 2, 22), b.usage());
        e.close();
        e.close(); // once only
        a.close();
        assertEquals(new MemoryBudget.Usage(20, 12, 0, 22), b.usage());
        c.close();
        d.close();
        assertEquals(0, b.usage().inUse());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(10).take(1, 2));
    }
}
