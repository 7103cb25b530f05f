package org.rodsgate.ledger;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * The ledger's way back to a PostgreSQL server that went away (a restart, a failover, a network cut): a failed
 * connection is recognised (SQLState class 08, or a connection that is closed or does not answer a validation
 * within {@link #VALIDATE}), replaced on the next transaction by a new one, and while that fails, attempts are
 * spaced by a backoff doubling from {@link #FIRST_RETRY} to {@link #MAX_RETRY}, failing fast in between. The
 * loss and the recovery are logged once each. Not thread-safe: the ledger calls it under its own lock.
 */
final class Reconnector {
    private static final Logger LOG = Logger.getLogger(Reconnector.class.getName());
    /** A live server answers a validation in milliseconds. */
    static final Duration VALIDATE = Duration.ofSeconds(5);
    /** First pause before trying again: a restart takes a few seconds. */
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    /** Longest pause: a ledger back within 30 s of the database is soon enough for registration. */
    static final Duration MAX_RETRY = Duration.ofSeconds(30);

    private final String url;
    private final String user;
    private final String password;
    private final LongSupplier nanoClock;
    private boolean lost;
    private long lostSince;
    private long nextAttempt;
    private long backoff;

    Reconnector(String url, String user, String password, LongSupplier nanoClock) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.nanoClock = nanoClock;
    }

    /** Whether {@code e} (thrown by {@code c}) means the connection is gone, rather than a bad statement. */
    static boolean connectionLost(SQLException e, Connection c) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        try {
            return c.isClosed() || !c.isValid((int) VALIDATE.toSeconds());
        } catch (SQLException other) {
            return true;
        }
    }

    /** Notes that the connection was lost (logged on the first loss only). */
    void lost(SQLException e) {
        if (!lost) {
            lost = true;
            lostSince = nanoClock.getAsLong();
            backoff = FIRST_RETRY.toNanos();
            nextAttempt = lostSince;
            LOG.warning("ledger database at " + url + " lost (" + e.getMessage() + "); reconnecting with backoff up"
                + " to " + MAX_RETRY.toSeconds() + " s");
        }
    }

    boolean isLost() {
        return lost;
    }

    /** A new connection (autocommit off) when the old one was lost; throws at once while the backoff runs. */
    Connection reconnect() throws SQLException {
        long now = nanoClock.getAsLong();
        if (now - nextAttempt < 0) {
            throw new SQLException("ledger database at " + url + " unreachable; next attempt in "
                + Math.max(1, (nextAttempt - now) / 1_000_000) + " ms", "08001");
        }
        try {
            Connection c = DriverManager.getConnection(url, user, password);
            c.setAutoCommit(false);
            LOG.warning("ledger database at " + url + " reconnected after "
                + (nanoClock.getAsLong() - lostSince) / 1_000_000_000 + " s");
            lost = false;
            return c;
        } catch (SQLException e) {
            nextAttempt = nanoClock.getAsLong() + backoff;
            backoff = Math.min(backoff * 2, MAX_RETRY.toNanos());
            throw e;
        }
    }
}
