package org.rodsgate.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.watch.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "watch", description = "Run the gateway (foreground): iRODS -> OMERO when the config has a watch"
    + " section (register new data in OMERO), OMERO -> iRODS when it has a reverse section (place OMERO's filesets in"
    + " iRODS), both when it has both.")
final class WatchCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    MetricsOptions metrics;

    @Mixin
    WatchOptions watch;

    @Override
    public Integer call() throws Exception {
        Logging.setup();
        WatchConfig cfg = watch.loadOptional();
        ReverseConfig rev = watch.loadReverse();
        if (cfg == null && rev == null) {
            throw new ConfigException(watch.config + " has neither a 'watch' nor a 'reverse' section");
        }
        metrics.start();
        Gateway g = Gateway.start(cfg, rev, client.account(watch.mountConfig()), null, null, true);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            g.close();
            stop.countDown();
        }, "rodsgate-watch-stop"));
        if (cfg != null) {
            System.out.println("watching " + cfg.collections() + " (gateway " + cfg.gateway() + ")");
        }
        if (rev != null) {
            System.out.println("placing OMERO filesets of " + rev.server() + " in iRODS (gateway " + rev.gateway() + ")");
        }
        System.out.println("ready");
        System.out.flush();
        stop.await();
        return Failures.OK;
    }
}
