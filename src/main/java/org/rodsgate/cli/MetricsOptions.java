package org.rodsgate.cli;

import java.io.IOException;
import org.rodsgate.metrics.MetricsServer;
import picocli.CommandLine.Option;

/** {@code --metrics-port}: the Prometheus endpoint of a long-running command (off by default). */
final class MetricsOptions {
    @Option(names = "--metrics-port", paramLabel = "PORT",
        description = "serve Prometheus metrics at http://ADDRESS:PORT/metrics (default: off)")
    Integer port;

    @Option(names = "--metrics-address", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
        description = "address the metrics endpoint listens on (default: ${DEFAULT-VALUE})")
    String address;

    /** Starts the endpoint when asked (the JVM's exit stops it), saying where; null otherwise. */
    MetricsServer start() throws IOException {
        if (port == null) {
            return null;
        }
        Failures.require(port >= 0 && port <= 65535, "--metrics-port must be 0..65535, not " + port);
        MetricsServer s = MetricsServer.start(address, port);
        System.out.println("metrics at http://" + address + ":" + s.port() + "/metrics");
        return s;
    }
}
