package org.rodsgate.ledger;

import java.util.List;
import java.util.Map;

/**
 * What `rodsgate status` shows: the feed watermarks, units by state, data objects by effective state (waiting,
 * excluded, queued, failed, registering, registered, parked, stale), the latest errors, recent throughput.
 */
public record LedgerStatus(Map<String, Long> watermarks, Map<String, Long> byState, Map<String, Long> objects,
                           List<String> lastErrors, long doneLastHour) {}
