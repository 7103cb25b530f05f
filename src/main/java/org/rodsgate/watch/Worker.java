package org.rodsgate.watch;

import org.rodsgate.metrics.Metrics;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.logging.Logger;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.ledger.Claim;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;
import org.rodsgate.omero.NotRegistrable;
import org.rodsgate.omero.Registrar;

/** Claims due units from the ledger and registers them, recording success or the failure (retried, then parked). */
public final class Worker {
    private static final Logger LOG = Logger.getLogger(Worker.class.getName());

    private final Ledger ledger;
    private final Registrar registrar;
    private final String gateway;
    private final Duration backoff;
    private final int maxAttempts;
    private final MetadataCache cache;

    public Worker(Ledger ledger, Registrar registrar, String gateway, Duration backoff, int maxAttempts,
                  MetadataCache cache) {
        this.ledger = ledger;
        this.registrar = registrar;
        this.gateway = gateway;
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
        this.cache = cache;
    }

    /** Works until no unit is due; {@code report} hears of each unit handled. Returns how many succeeded. */
    public int drain(Consumer<String> report) throws Exception {
        int done = 0;
        while (true) {
            Optional<Claim> c = ledger.claim(gateway, Duration.ofMinutes(30));
            if (c.isEmpty()) {
                return done;
            }
            Unit u = c.get().unit();
            try {
                if (registrar == null) {
                    LOG.info("would register " + u.kind().name().toLowerCase() + " " + u.key() + " as " + u.owner()
                        + " into " + u.targetLabel() + " (no OMERO configured)");
                    ledger.done(c.get(), 0, List.of());
                    report.accept(u.key() + " -> (not registered: no OMERO configured)");
                } else {
                    Registrar.Registration r = registrar.register(u);
                    if (!ledger.done(c.get(), r.fileset(), r.images())) {
                        LOG.warning(u.key() + ": registered as Fileset:" + r.fileset() + " but the claim was lost"
                            + " (lease ran out); the holder of the new claim records it");
                    }
                    report.accept(u.key() + " -> Fileset:" + r.fileset() + " Image:" + r.images()
                        + (r.wasAlreadyImported() ? " (already in OMERO)" : ""));
                    Metrics.registration(r.wasAlreadyImported() ? "already_in_omero" : "registered");
                }
                done++;
            } catch (NotRegistrable e) {
                String kind = e.reason().retriedWhenMountReturns() ? "mount" : "name";
                LOG.warning("not registering " + u.key() + " (parked until " + (kind.equals("mount")
                    ? "the mount answers again" : "`rodsgate retry`") + "): " + e.getMessage());
                ledger.park(c.get(), kind, e.reason().name().toLowerCase().replace('_', ' ') + ": " + e.getMessage());
                report.accept(u.key() + " PARKED: " + e.getMessage());
                Metrics.registration("parked_" + kind);
            } catch (Exception e) {
                LOG.warning("registering " + u.key() + " failed: " + e.getMessage());
                ledger.failed(c.get(), e.getMessage(), backoff, maxAttempts);
                report.accept(u.key() + " FAILED: " + e.getMessage());
                Metrics.registration("failed");
            } finally {
                if (cache != null) {
                    u.paths().forEach(cache::invalidate);
                }
            }
        }
    }
}
