package org.rodsgate.cli;

import java.time.Instant;
import java.util.concurrent.Callable;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "stat", description = "Show what iRODS knows of one path.")
final class StatCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(paramLabel = "PATH")
    String path;

    @Override
    public Integer call() throws Exception {
        IrodsAccount a = client.account();
        String p = ClientOptions.resolve(a, path);
        try (IrodsSession s = IrodsSession.open(a)) {
            ObjStat st = s.stat(p);
            System.out.println("path:     " + st.path());
            System.out.println("type:     " + (st.isCollection() ? "collection" : "data object"));
            System.out.println("id:       " + st.id());
            if (!st.isCollection()) {
                System.out.println("size:     " + st.size());
                System.out.println("checksum: " + st.checksum());
            }
            System.out.println("owner:    " + st.owner());
            System.out.println("created:  " + Instant.ofEpochSecond(st.createTime()));
            System.out.println("modified: " + Instant.ofEpochSecond(st.modifyTime()));
        }
        return Failures.OK;
    }
}
