package org.rodsgate.cli;

import java.util.concurrent.Callable;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "meta", description = "List or change AVUs of a data object or collection, like imeta:"
    + " meta ls PATH | meta add|set|rm PATH ATTR VALUE [UNITS].")
final class MetaCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Parameters(index = "0", paramLabel = "OP", description = "ls, add, set or rm")
    String op;

    @Parameters(index = "1", paramLabel = "PATH")
    String path;

    @Parameters(index = "2..*", arity = "0..3", paramLabel = "ATTR VALUE [UNITS]")
    java.util.List<String> avu = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        switch (op) {
            case "ls" -> Failures.require(avu.isEmpty(), "meta ls takes only PATH, not " + avu);
            case "add", "set", "rm" -> Failures.require(avu.size() >= 2, "meta " + op + " needs ATTR and VALUE");
            default -> throw new Failures.UsageException("unknown meta operation '" + op + "' (ls, add, set, rm)");
        }
        IrodsAccount a = client.account();
        String p = ClientOptions.resolve(a, path);
        try (IrodsSession s = IrodsSession.open(a)) {
            ObjStat st = s.stat(p);
            boolean coll = st.isCollection();
            if (op.equals("ls")) {
                for (Avu v : s.listAvus(p, coll)) {
                    System.out.println(v.attribute() + "\t" + v.value() + (v.units().isEmpty() ? "" : "\t" + v.units()));
                }
                return Failures.OK;
            }
            Avu v = new Avu(avu.get(0), avu.get(1), avu.size() > 2 ? avu.get(2) : "");
            switch (op) {
                case "add" -> s.addAvu(p, coll, v);
                case "set" -> s.setAvu(p, coll, v);
                case "rm" -> {
                    try {
                        s.removeAvu(p, coll, v);
                    } catch (IrodsException e) {
                        if (!e.is(ErrorCode.CAT_SUCCESS_BUT_WITH_NO_INFO)) {
                            throw e;
                        }
                        // what iRODS 5.0.2 answers when no AVU matched: nothing was removed
                        throw new IrodsException(e.code(), "meta rm " + p + ": no AVU " + v.attribute() + "="
                            + v.value() + (v.units().isEmpty() ? "" : " [" + v.units() + "]")
                            + " there, nothing removed (CAT_SUCCESS_BUT_WITH_NO_INFO)");
                    }
                }
                default -> throw new IllegalStateException("checked above: " + op);
            }
        }
        return Failures.OK;
    }
}
