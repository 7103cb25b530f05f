package org.rodsgate.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.watch.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "watch", description = "Watch iRODS and register new data in OMERO (foreground).")
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
        metrics.start();
        WatchConfig cfg = watch.load();
        Gateway g = Gateway.start(cfg, client.account(watch.mountConfig()), null, null, true);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            g.close();
            stop.countDown();
        }, "rodsgate-watch-stop"));
        System.out.println("watching " + cfg.collections() + " (gateway " + cfg.gateway() + ")");
        System.out.println("ready");
        System.out.flush();
        stop.await();
        return Failures.OK;
    }
}
