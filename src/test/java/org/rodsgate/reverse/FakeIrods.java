package org.rodsgate.reverse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.rodsgate.reverse.place.IrodsDescription;
import org.rodsgate.reverse.place.Placed;
import org.rodsgate.reverse.place.Placement;
import org.rodsgate.reverse.place.PlacementRule;

/**
 * An in-memory iRODS for the reverse direction's JUnit tests: objects by path, AVUs, how often each final path was
 * written (a copy counts once per write: exactly-once is checked on it). Can fail, refuse by time window, or "die"
 * half-way (the work object stays hidden, as the real placement leaves it).
 */
final class FakeIrods implements Placement, IrodsDescription {
    final Map<String, Long> objects = new TreeMap<>();
    final Map<String, Integer> writes = new TreeMap<>();
    final Map<String, Map<String, String>> avus = new TreeMap<>();
    final List<String> calls = new ArrayList<>();
    int failures;
    IOException failWith;
    long notBefore = -1;
    boolean down;
    RuntimeException dieAfterFirstFile;

    static String path(PlacementRule rule, OmeroFileset fs, OmeroOriginalFile f) {
        return rule.template().replace("%user%", fs.owner()).replace("%group%", fs.group())
            .replace("%fileset%", Long.toString(fs.id())).replace("%name%", f.name())
            .replace("%clientPath%", f.clientPath()).replace("%zone%", "tempZone");
    }

    @Override
    public List<Placed> place(PlacementRule rule, OmeroFileset fs, String irodsUser) throws IOException {
        calls.add("place Fileset:" + fs.id() + " " + rule.kind());
        if (notBefore >= 0) {
            throw new NotYet("outside the window", notBefore);
        }
        if (failWith != null) {
            throw failWith;
        }
        if (down) {
            // as irods/ServerHealth fails calls while the server does not answer
            throw new IOException("copying into iRODS failed", new org.rodsgate.irods.IrodsException(0,
                "iRODS at localhost:1247 does not answer: Host is down", true, null));
        }
        if (failures > 0) {
            failures--;
            throw new IOException("iRODS refused: SYS_RESC_QUOTA_EXCEEDED (disk full)");
        }
        List<Placed> out = new ArrayList<>();
        for (OmeroOriginalFile f : fs.files()) {
            String p;
            String how;
            if (rule.kind() == PlacementRule.Kind.IN_PLACE) {
                p = ("/" + f.clientPath()).substring("/mnt/irods".length()); // the mount shows iRODS '/' at /mnt/irods
                how = "found";
            } else {
                p = path(rule, fs, f);
                how = objects.containsKey(p) ? "found" : "copied";
                if (!objects.containsKey(p)) {
                    objects.put(p, f.size());
                    writes.merge(p, 1, Integer::sum);
                }
            }
            out.add(new Placed(f, p, "sha2:x" + f.id(), how));
            if (dieAfterFirstFile != null) {
                RuntimeException e = dieAfterFirstFile;
                dieAfterFirstFile = null;
                throw e;
            }
        }
        return out;
    }

    @Override
    public void describe(List<Placed> placed, OmeroFileset fs, List<Long> images, String server, String user,
                         PlacementRule rule) {
        for (Placed p : placed) {
            Map<String, String> m = avus.computeIfAbsent(p.irodsPath(), k -> new LinkedHashMap<>());
            m.put("omero.fileset", Long.toString(fs.id()));
            m.put("omero.image", images.toString());
            m.put("omero.owner", fs.owner());
            m.put("omero.server", server);
            m.putIfAbsent("omero.registered", "now");
        }
    }

    @Override
    public void markDeleted(List<String> paths, long at) {
        for (String p : paths) {
            if (objects.containsKey(p) || avus.containsKey(p)) {
                avus.computeIfAbsent(p, k -> new LinkedHashMap<>()).putIfAbsent("omero.deleted", Long.toString(at));
            }
        }
    }
}
