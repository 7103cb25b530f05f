package org.rodsgate.reverse;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.rodsgate.ledger.Ledger;

/**
 * Every test of {@link ReverseFeedTest} against a shared PostgreSQL ledger (a fresh schema each), when
 * RODSGATE_TEST_PG_URL names a server (run-tests and native-tests/pg-start.sh start one); skipped otherwise.
 */
class ReverseFeedPostgresTest extends ReverseFeedTest {
    private String url;
    private String user;
    private String password;

    @BeforeEach
    void freshSchema() throws Exception {
        String base = System.getenv("RODSGATE_TEST_PG_URL");
        Assumptions.assumeTrue(base != null && !base.isEmpty(),
            "RODSGATE_TEST_PG_URL is not set: no PostgreSQL server, so this test is skipped");
        user = System.getenv().getOrDefault("RODSGATE_TEST_PG_USER", "postgres");
        password = System.getenv().getOrDefault("RODSGATE_TEST_PG_PASSWORD", "");
        String schema = "rev" + System.nanoTime();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(base, user, password)) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        }
        url = base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    Ledger open() throws Exception {
        return Ledger.postgres(url, user, password, now::get);
    }
}
