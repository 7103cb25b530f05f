package org.rodsgate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rodsgate.config.IrodsEnvironment;
import org.rodsgate.config.MountConfig;
import org.rodsgate.fuse.MountService;
import org.rodsgate.irods.IrodsAccount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "mount", description = "Mount iRODS collections at MOUNTPOINT (foreground; Ctrl-C or"
    + " `rodsgate unmount` ends it).")
final class MountCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "--config", paramLabel = "FILE", description = "rodsgate config (YAML) with a mount section")
    Path config;

    @Option(names = "--allow-other", description = "let other local users use the mount")
    boolean allowOther;

    @Option(names = "--allow-non-empty", description = "mount over a non-empty directory")
    boolean allowNonEmpty;

    @Parameters(paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        Logging.setup();
        MountConfig cfg = config == null ? MountConfig.defaults() : MountConfig.load(config);
        if (allowOther) {
            cfg = cfg.withAllowOther(true);
        }
        IrodsAccount account;
        if (client.envFile == null && cfg.irodsEnvironment() != null) {
            Path auth = cfg.irodsAuthentication() != null ? cfg.irodsAuthentication()
                : cfg.irodsEnvironment().toAbsolutePath().getParent().resolve(".irodsA");
            account = IrodsEnvironment.load(cfg.irodsEnvironment(), auth, IrodsEnvironment.currentUid());
        } else {
            account = client.account();
        }
        return run(account, cfg, mountPoint, allowNonEmpty);
    }

    static int run(IrodsAccount account, MountConfig cfg, Path mnt, boolean allowNonEmpty) throws Exception {
        MountService svc = MountService.start(account, cfg, mnt, allowNonEmpty);
        Runtime.getRuntime().addShutdownHook(new Thread(svc::close, "rodsgate-unmount"));
        System.out.println("mounted " + account.user() + "#" + account.zone() + " at " + mnt.toAbsolutePath()
            + " (" + cfg.identity() + (cfg.allowOther() ? ", allow_other" : "") + ")");
        System.out.println("ready");
        System.out.flush();
        svc.awaitUnmount();
        svc.close();
        return 0;
    }
}
