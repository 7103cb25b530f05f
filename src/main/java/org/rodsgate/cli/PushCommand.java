package org.rodsgate.cli;

import java.util.List;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rodsgate.config.ConfigException;
import org.rodsgate.config.ReverseConfig;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.ledger.Ledger;
import org.rodsgate.reverse.Push;
import org.rodsgate.reverse.ReverseSides;
import org.rodsgate.reverse.ReverseWorker;
import org.rodsgate.watch.Gateway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "push", description = "OMERO's \"save to iRODS\": place the filesets of an OMERO object in iRODS now"
    + " (as the reverse direction would), by the config's reverse.rules or under --to COLLECTION; tagged and"
    + " annotated in OMERO. A progress bar on stderr. For an OMERO.script or an OMERO.web button on the OMERO host.")
final class PushCommand implements Callable<Integer> {
    @Mixin
    ClientOptions client;

    @Mixin
    WatchOptions watch;

    @Parameters(paramLabel = "OBJECT", description = "Fileset:ID, Image:ID, Dataset:ID or Project:ID")
    String object;

    @Option(names = "--to", paramLabel = "COLLECTION", description = "iRODS collection to copy into"
        + " (COLLECTION/FILESET_ID/NAME), as the owner's iRODS user, whatever the rule's kind — unless the fileset was"
        + " imported in place from the mount (then described where it is); a copy rule's window and cap still apply")
    String to;

    @Override
    public Integer call() throws Exception {
        Logging.setup();
        Failures.require(object.matches("(Fileset|Image|Dataset|Project):[0-9]+"), "push: '" + object + "' is not"
            + " Fileset:ID, Image:ID, Dataset:ID or Project:ID");
        Failures.require(to == null || (to.startsWith("/") && !to.matches(".*(^|/)\\.{1,2}(/.*|$)") && !to.contains("//")),
            "push --to: '" + to + "' is not an absolute iRODS collection path");
        ReverseConfig rev = watch.loadReverse();
        if (rev == null) {
            throw new ConfigException(watch.config + " has no 'reverse' section (its rules say how filesets reach iRODS;"
                + " the OMERO server is in the 'omero' section)");
        }
        var account = client.account(watch.mountConfig());
        rev.checkZone(account.zone());
        try (ConnectionPool pool = new ConnectionPool(); Ledger ledger = Gateway.openLedger(rev.ledger(), true)) {
            ledger.startHeartbeat(rev.gateway() + " (push)", rev.heartbeat());
            ReverseSides sides = ReverseSides.create(rev, pool, account);
            ReverseWorker worker = new ReverseWorker(rev, ledger, sides.omero(), sides.placement(), sides.description(),
                rev.gateway() + " (push)");
            Push push = new Push(ledger, sides.omero(), worker, rev.gateway() + " (push)");
            List<Long> ids;
            try {
                ids = push.filesets(object);
            } catch (IllegalArgumentException e) {
                throw new Failures.UsageException(e.getMessage());
            }
            long[] bytes = {0};
            List<Push.Outcome> out;
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("push " + object).setInitialMax(ids.size())
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" filesets", 1).showSpeed().build()) {
                out = push.push(ids, to, (o, n) -> {
                    bytes[0] += o.bytes();
                    bar.stepTo(n);
                    bar.setExtraMessage(String.format(" %.1f MiB", bytes[0] / 1048576.0));
                });
            }
            int failed = 0;
            int waiting = 0;
            int notPlaced = 0;
            for (Push.Outcome o : out) {
                System.out.println(o.state() + "\t" + o.line());
                switch (o.state()) {
                    case "FAILED" -> failed++;
                    case "WAITING" -> waiting++;
                    case "NOT_PLACED" -> notPlaced++;
                    default -> { }
                }
            }
            if (waiting > 0) {
                System.err.println("rodsgate: push " + object + ": " + waiting + " of " + out.size() + " filesets wait"
                    + " for their rule's copy window (listed above with the opening time; not a failure: they stay"
                    + " queued and a running gateway copies them then)");
            }
            if (notPlaced > 0) {
                System.err.println("rodsgate: push " + object + ": " + notPlaced + " of " + out.size() + " filesets not"
                    + " placed: their rule places nothing for them (reason above)");
            }
            if (failed > 0) {
                System.err.println("rodsgate: push " + object + ": " + failed + " of " + out.size() + " filesets failed"
                    + " (listed above; they stay queued and a running gateway retries them)");
                return Failures.FAILED;
            }
            return Failures.OK;
        }
    }
}
