package org.rodsgate.irods;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.rodsgate.config.IrodsEnvironment;

/**
 * The client contract against a real iRODS server, when {@code RODSGATE_TEST_IRODS_ENV} names an environment file
 * (its password file: {@code RODSGATE_TEST_IRODS_AUTH}, else {@code .irodsA} beside it). Skipped otherwise.
 */
class RealIrodsClientTest extends ClientContract {
    static IrodsAccount real;

    @BeforeAll
    static void configure() throws Exception {
        String env = System.getenv("RODSGATE_TEST_IRODS_ENV");
        Assumptions.assumeTrue(env != null && !env.isEmpty(),
            "RODSGATE_TEST_IRODS_ENV is not set: no real iRODS server configured, so these tests are skipped");
        Path envFile = Path.of(env);
        String auth = System.getenv("RODSGATE_TEST_IRODS_AUTH");
        Path authFile = auth != null ? Path.of(auth) : envFile.toAbsolutePath().getParent().resolve(".irodsA");
        Assumptions.assumeTrue(Files.exists(envFile), "RODSGATE_TEST_IRODS_ENV names a missing file: " + envFile);
        real = IrodsEnvironment.load(envFile, authFile, IrodsEnvironment.currentUid());
    }

    @Override
    protected IrodsAccount account() {
        return real;
    }
}
