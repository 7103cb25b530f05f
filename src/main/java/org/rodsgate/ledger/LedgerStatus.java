package org.rodsgate.ledger;

import java.util.List;
import java.util.Map;

/** What `rodsgate status` shows: the feed watermarks, units by state, the latest errors, recent throughput. */
public record LedgerStatus(Map<String, Long> watermarks, Map<String, Long> byState, List<String> lastErrors,
                           long doneLastHour) {}
