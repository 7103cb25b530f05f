package org.rodsgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.Paths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "get", description = "Download a data object to a local file, like iget.")
final class GetCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "-f", description = "overwrite an existing local file")
    boolean force;

    @Parameters(index = "0", paramLabel = "IRODS_PATH")
    String src;

    @Parameters(index = "1", paramLabel = "LOCAL_FILE")
    Path dst;

    @Override
    public Integer call() throws Exception {
        IrodsAccount a = client.account();
        String p = ClientOptions.resolve(a, src);
        Path target = Files.isDirectory(dst) ? dst.resolve(Paths.name(p)) : dst;
        Path dir = target.toAbsolutePath().getParent();
        Failures.requireExists(dir, "get", "no such local directory");
        Failures.require(Files.isDirectory(dir), "get: " + dir + " is not a directory");
        if (Files.exists(target) && !force) {
            throw new IllegalStateException(target + " exists; use -f to overwrite it");
        }
        try (IrodsSession s = IrodsSession.open(a)) {
            Transfer.get(s, p, target);
        }
        return Failures.OK;
    }
}
