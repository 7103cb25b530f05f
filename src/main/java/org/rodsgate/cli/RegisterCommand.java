package org.rodsgate.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.WatchConfig;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.ledger.Unit;
import org.rodsgate.omero.OmeroCli;
import org.rodsgate.omero.Registrar;
import org.rodsgate.omero.SystemProcessRunner;
import org.rodsgate.watch.Gateway;
import org.rodsgate.watch.Worker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "register", description = "Register data in OMERO by hand: files, directories (grouped as the"
    + " importer groups them) or a list of files (one unit).")
final class RegisterCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    WatchOptions watch;

    @Option(names = "--from-file", paramLabel = "LIST", description = "file listing iRODS paths: one unit")
    Path fromFile;

    @Option(names = "--user", description = "OMERO user (default: from the iRODS owner, by the watch.user rule)")
    String user;

    @Option(names = "--target", description = "import target, e.g. Project:name:P/Dataset:name:D")
    String target;

    @Option(names = "--annotate", paramLabel = "KEY=VALUE", description = "annotation on the images (repeatable)")
    java.util.Map<String, String> annotate = new java.util.LinkedHashMap<>();

    @Option(names = "--dry-run", description = "show the units, register nothing")
    boolean dryRun;

    @Parameters(arity = "0..*", paramLabel = "IRODS_PATH")
    List<String> paths = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Logging.setup();
        Failures.require(paths.isEmpty() != (fromFile == null),
            "register: give IRODS_PATH... or --from-file LIST (one of them)");
        for (var e : annotate.entrySet()) {
            Failures.require(!e.getKey().isEmpty() && !e.getKey().contains("\n") && !e.getValue().contains("\n"),
                "register: --annotate needs KEY=VALUE on one line");
        }
        List<String> listed = fromFile == null ? List.of() : Files.readAllLines(fromFile).stream().map(String::strip)
            .filter(s -> !s.isEmpty()).toList();
        Failures.require(fromFile == null || !listed.isEmpty(), "register: " + fromFile + " names no iRODS path");
        WatchConfig cfg = watch.load();
        if (cfg.mountRoot() == null) {
            throw new ConfigException(watch.config + ": watch.mount is needed: where the mount shows iRODS '/'");
        }
        IrodsAccount account = client.account(watch.mountConfig());
        OmeroCli omero = new OmeroCli(cfg.omero(), new SystemProcessRunner(cfg.omero().osUser()));
        List<Unit> units = new ArrayList<>();
        try (ConnectionPool pool = new ConnectionPool(); Ledger ledger = Gateway.openLedger(cfg)) {
            if (fromFile != null) {
                List<String> list = listed.stream().map(p -> ClientOptions.resolve(account, p)).toList();
                ObjStat first = pool.run(account, true, s -> s.stat(list.get(0)));
                units.add(unit(cfg, list.get(0), Unit.Kind.LIST, list, first.owner()));
            }
            for (String raw : paths) {
                String p = ClientOptions.resolve(account, raw);
                ObjStat st = pool.run(account, true, s -> s.stat(p));
                if (!st.isCollection()) {
                    units.add(unit(cfg, p, Unit.Kind.FILE, List.of(p), st.owner()));
                    continue;
                }
                for (List<String> g : omero.groups(List.of(cfg.localPath(p)))) {
                    List<String> irods = g.stream().map(cfg::irodsPath).filter(java.util.Objects::nonNull).toList();
                    units.add(unit(cfg, irods.get(0), irods.size() == 1 ? Unit.Kind.FILE : Unit.Kind.DIRECTORY, irods,
                        st.owner()));
                }
            }
            if (dryRun) {
                units.forEach(u -> System.out.println(u.kind().name().toLowerCase() + " " + u.key() + " ("
                    + u.paths().size() + " file(s)) as " + u.owner() + " -> " + u.targetLabel()));
                return Failures.OK;
            }
            ledger.startHeartbeat(cfg.gateway() + "/register", cfg.heartbeat()); // watchers leave its claims alone
            Registrar registrar = new Registrar(omero, pool, account, cfg::localPath);
            for (Unit u : units) {
                if (!ledger.enqueue(u)) {
                    System.err.println("rodsgate: " + u.key() + " is already in the ledger (state "
                        + ledger.stateOf(u.key()) + "; `rodsgate retry` requeues a parked unit)");
                }
            }
            int[] n = {0};
            int total = units.size();
            int ok = new Worker(ledger, registrar, cfg.gateway() + "/register", cfg.backoff(), 1, null).drain(line -> {
                n[0]++;
                System.err.printf("[%d/%d] ", n[0], Math.max(total, n[0]));
                System.out.println(line);
            });
            return ok == n[0] ? Failures.OK : Failures.FAILED;
        }
    }

    private Unit unit(WatchConfig cfg, String key, Unit.Kind kind, List<String> members, String owner) {
        String root = cfg.collections().stream().filter(c -> Paths.isUnder(key, c)).findFirst().orElse(null);
        String t = target != null ? target
            : root == null ? null : cfg.target(key.substring(root.length() + (root.equals("/") ? 0 : 1)));
        return new Unit(key, kind, members, user != null ? user : cfg.omeroUser(owner), t, annotate);
    }
}
