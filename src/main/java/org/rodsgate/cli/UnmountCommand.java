package org.rodsgate.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rodsgate.fuse.Mounter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unmount", description = "Unmount a rodsgate mount (the daemon then exits).")
final class UnmountCommand implements Callable<Integer> {
    @Parameters(paramLabel = "MOUNTPOINT")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        Failures.requireExists(mountPoint, "unmount", "no such mount point");
        Mounter.unmount(mountPoint);
        return Failures.OK;
    }
}
