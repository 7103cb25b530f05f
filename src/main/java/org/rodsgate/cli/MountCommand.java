package org.rodsgate.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.rodsgate.config.MountConfig;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.watch.Gateway;
import org.rodsgate.fuse.MountService;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.metrics.Metrics;
import org.rodsgate.status.StatusSocket;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mount", description = "Mount iRODS collections at MOUNTPOINT (foreground; Ctrl-C or"
    + " `rodsgate unmount` ends it).")
final class MountCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    MetricsOptions metrics;

    @Option(names = "--config", paramLabel = "FILE", description = "rodsgate config (YAML) with a mount section")
    Path config;

    @Option(names = "--allow-other", description = "let other local users use the mount")
    boolean allowOther;

    @Option(names = "--allow-non-empty", description = "mount over a non-empty directory")
    boolean allowNonEmpty;

    @Option(names = "--wait-for-server", paramLabel = "SECONDS", defaultValue = "0",
        description = "when iRODS cannot be reached, retry with backoff (1 s doubling to 60 s) for up to SECONDS"
            + " before failing (default: ${DEFAULT-VALUE}, fail at once; units and the mount helper wait)")
    int waitForServer;

    @Parameters(paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        Logging.setup();
        Failures.require(waitForServer >= 0, "mount: --wait-for-server must be 0 or more seconds, not " + waitForServer);
        // a missing mount point is made (fuse/Mounter); one that is something else is refused before any waiting
        Failures.require(!java.nio.file.Files.exists(mountPoint) || java.nio.file.Files.isDirectory(mountPoint),
            "mount: mount point " + mountPoint + " is not a directory");
        metrics.start();
        MountConfig cfg = config == null ? MountConfig.defaults() : MountConfig.load(config);
        if (allowOther) {
            cfg = cfg.withAllowOther(true);
        }
        IrodsAccount account = client.account(cfg);
        WatchConfig watch = config == null ? null : WatchConfig.load(config);
        String ignored = reverseIgnored(config);
        if (ignored != null) {
            java.util.logging.Logger.getLogger(MountCommand.class.getName()).warning(ignored);
        }
        MountConfig c = cfg;
        IrodsAccount a = account;
        MountService svc = ServerWait.start(waitForServer, () -> MountService.start(a, c, mountPoint, allowNonEmpty));
        return run(svc, account, cfg, mountPoint, watch, true);
    }

    /**
     * What a mount says about a {@code reverse:} section of its config, or null when there is none: a mount runs
     * the watcher (a {@code watch:} section) but not the OMERO -> iRODS direction, which runs in
     * {@code rodsgate watch --config}.
     */
    static String reverseIgnored(Path config) throws org.rodsgate.config.ConfigException {
        return config == null || !org.rodsgate.config.ReverseConfig.present(config) ? null : "the 'reverse' section of "
            + config + " is ignored by a mount: the OMERO -> iRODS direction runs in `rodsgate watch --config "
            + config + "` (which may run beside this mount)";
    }

    /** Mounts, and when {@code watch} is given runs the watcher in the same process (sharing pool and cache). */
    static int run(IrodsAccount account, MountConfig cfg, Path mnt, boolean allowNonEmpty, WatchConfig watch,
                   boolean withOmero) throws Exception {
        return run(MountService.start(account, cfg, mnt, allowNonEmpty), account, cfg, mnt, watch, withOmero);
    }

    private static int run(MountService svc, IrodsAccount account, MountConfig cfg, Path mnt, WatchConfig watch,
                           boolean withOmero) throws Exception {
        Gateway gateway = null;
        try {
            if (watch != null) {
                WatchConfig w = watch.mountRoot() != null ? watch : watch.withMountRoot(svc.mountPoint());
                gateway = Gateway.start(w, account, svc.pool(), svc.fs().cache(), withOmero);
            }
        } catch (Exception e) {
            svc.close();
            throw e;
        }
        Gateway g = gateway;
        Metrics.bindPool(svc.pool());
        svc.fs().cache().bindMetrics(Metrics.registry());
        Metrics.bindMemoryBudget(() -> org.rodsgate.fs.MemoryBudget.process().usage().inUse());
        StatusSocket status = startStatus(svc, account, cfg, watch);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (status != null) {
                status.close();
            }
            if (g != null) {
                g.close();
            }
            svc.close();
        }, "rodsgate-unmount"));
        System.out.println("mounted " + account.user() + "#" + account.zone() + " at " + mnt.toAbsolutePath()
            + " (" + cfg.identity() + (cfg.allowOther() ? ", allow_other" : "") + ")"
            + (watch != null ? "; watching " + watch.collections() + (withOmero ? "" : " (logging only: no OMERO)") : ""));
        System.out.println("ready");
        System.out.flush();
        svc.awaitUnmount();
        if (status != null) {
            status.close();
        }
        if (g != null) {
            g.close();
        }
        svc.close();
        return Failures.OK;
    }

    /** The mount's status socket (`rodsgate status --mount MNT`); a mount without one still runs, saying why. */
    private static StatusSocket startStatus(MountService svc, IrodsAccount account, MountConfig cfg, WatchConfig watch) {
        Instant started = Instant.now();
        try {
            return StatusSocket.start(StatusSocket.forMount(svc.mountPoint()), () -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("mount_point", svc.mountPoint().toString());
                m.put("account", account.user() + "#" + account.zone() + " at " + account.host() + ":" + account.port());
                m.put("identity", cfg.identity());
                m.put("allow_other", cfg.allowOther());
                m.put("build", BuildInfo.describe());
                m.put("started", started.toString());
                m.put("uptime_seconds", Duration.between(started, Instant.now()).toSeconds());
                m.put("watching", watch == null ? List.of() : watch.collections());
                m.put("fuse_requests", Metrics.fuseCounts());
                m.put("fuse_bytes", Metrics.fuseBytes());
                m.put("connections", Map.of("io_in_use", svc.pool().inUse("io"), "io_waiting", svc.pool().waiting("io"),
                    "metadata_in_use", svc.pool().inUse("metadata"), "metadata_waiting", svc.pool().waiting("metadata")));
                return m;
            });
        } catch (IOException | RuntimeException e) {
            System.err.println("rodsgate: no status socket for " + svc.mountPoint() + ": " + e.getMessage());
            return null;
        }
    }
}
