package org.rodsgate.irods;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerHealthTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ServerHealth h = new ServerHealth("host:1247", Duration.ofSeconds(2), Duration.ofSeconds(3), now::get);

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void aStalledServerMakesLaterCallsFailFastWithEhostdownAndOneCallerProbesAfterBackoff() throws Exception {
        h.admit();
        h.failed(IrodsException.timeout("no reply", null));
        assertTrue(h.isDown());
        IrodsException e = assertThrows(IrodsException.class, h::admit);
        assertEquals(Errno.EHOSTDOWN.value, e.errno());
        assertTrue(e.getMessage().contains("host:1247"), e.getMessage());
        advance(Duration.ofMillis(500));
        assertDoesNotThrow(h::admit); // the probe
        assertThrows(IrodsException.class, h::admit); // the others, while it tries
        h.failed(IrodsException.timeout("still no reply", null));
        advance(Duration.ofMillis(999));
        assertThrows(IrodsException.class, h::admit); // backoff doubled to 1 s
        advance(Duration.ofMillis(1));
        assertDoesNotThrow(h::admit);
        advance(Duration.ofSeconds(5)); // a probe that never reports back lets another try after its allowance
        assertDoesNotThrow(h::admit);
        h.failed(IrodsException.timeout("no", null));
        advance(Duration.ofMillis(1999));
        assertThrows(IrodsException.class, h::admit);
        advance(Duration.ofMillis(1)); // capped at maxRetry, counted from the failed probe's end
        assertDoesNotThrow(h::admit);
        h.succeeded();
        assertFalse(h.isDown());
        assertDoesNotThrow(h::admit);
        assertDoesNotThrow(h::admit);
    }

    @Test
    void onlyFailuresThatMeanTheServerDoesNotAnswerCount() {
        assertTrue(ServerHealth.meansDown(IrodsException.timeout("t", null)));
        assertTrue(ServerHealth.meansDown(IrodsException.transport("refused", null, Errno.EHOSTDOWN.value)));
        assertFalse(ServerHealth.meansDown(IrodsException.transport("cut", null, Errno.EIO.value)));
        assertFalse(ServerHealth.meansDown(new IrodsException(-808000, "CAT_NO_ROWS_FOUND")));
    }
}
