package org.rodsgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "put", description = "Upload a local file as a data object, like iput.")
final class PutCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Option(names = "-f", description = "overwrite an existing data object")
    boolean force;

    @Option(names = "--checksum", defaultValue = "compute", paramLabel = "compute|off", description = "compute: iRODS"
        + " computes and stores the checksum, checked against the local file's (as iput -K; default); off: none")
    String checksum;

    @Parameters(index = "0", paramLabel = "LOCAL_FILE")
    Path src;

    @Parameters(index = "1", paramLabel = "IRODS_PATH")
    String dst;

    @Override
    public Integer call() throws Exception {
        Failures.requireExists(src, "put", "no such local file");
        Failures.require(Files.isRegularFile(src), "put: " + src + " is not a regular file");
        Failures.require(checksum.equals("compute") || checksum.equals("off"),
            "put: --checksum must be compute or off, not '" + checksum + "'");
        IrodsAccount a = client.account();
        String p = ClientOptions.resolve(a, dst);
        try (IrodsSession s = IrodsSession.open(a)) {
            ObjStat st = s.statOrNull(p);
            if (st != null && st.isCollection()) {
                p = Paths.join(p, src.getFileName().toString());
            }
            Transfer.put(s, src, p, force, checksum.equals("compute"));
        }
        return Failures.OK;
    }
}
