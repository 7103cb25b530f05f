package org.rodsgate.irods;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.IrodsEnvironment;

/**
 * The client contract against a real iRODS server, when {@code RODSGATE_TEST_IRODS_ENV} names an environment file
 * (its password file: {@code RODSGATE_TEST_IRODS_AUTH}, else {@code .irodsA} beside it). Each test is skipped,
 * with the reason, otherwise.
 */
class RealIrodsClientTest extends ClientContract {
    static final String ENV = "RODSGATE_TEST_IRODS_ENV";

    @Override
    protected IrodsAccount account() {
        String env = System.getenv(ENV);
        Assumptions.assumeTrue(env != null && !env.isEmpty(),
            ENV + " is not set: no real iRODS server configured, so this test is skipped");
        Path envFile = Path.of(env);
        Assumptions.assumeTrue(Files.exists(envFile), ENV + " names a missing file: " + envFile);
        String auth = System.getenv("RODSGATE_TEST_IRODS_AUTH");
        Path authFile = auth != null ? Path.of(auth) : envFile.toAbsolutePath().getParent().resolve(".irodsA");
        try {
            return IrodsEnvironment.load(envFile, authFile, IrodsEnvironment.currentUid());
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
