package org.rodsgate.fs;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.Paths;

/**
 * Which iRODS collection appears where under the mount point. A path under a mapping resolves to an iRODS path;
 * a path above mappings (e.g. "/" when only "/data" is mapped) is a virtual, read-only directory listing the next
 * components. The default is one mapping, "/" to the zone root "/", read-write.
 */
public final class Mappings {
    public record Mapping(String mountPath, String irodsPath, boolean readOnly) {}

    /** A resolved mount path: an iRODS path (with its mapping's read-only flag), or a virtual directory. */
    public record Resolved(String irodsPath, boolean readOnly, List<String> virtualChildren) {
        public boolean isVirtual() {
            return irodsPath == null;
        }
    }

    private final List<Mapping> mappings;

    public Mappings(List<Mapping> list) {
        List<Mapping> l = new ArrayList<>();
        for (Mapping m : list) {
            l.add(new Mapping(Paths.normalize(m.mountPath()), Paths.normalize(m.irodsPath()), m.readOnly()));
        }
        l.sort(Comparator.comparingInt((Mapping m) -> m.mountPath().length()).reversed());
        this.mappings = List.copyOf(l);
    }

    public static Mappings zoneRoot() {
        return new Mappings(List.of(new Mapping("/", "/", false)));
    }

    public List<Mapping> all() {
        return mappings;
    }

    /**
     * Resolves a mount path. A path holding U+FFFD is refused with {@code EILSEQ}: the FUSE binding hands paths over
     * decoded from UTF-8 with every invalid byte replaced by U+FFFD, so such a path may stand for several different
     * local names (e.g. {@code \xe9t\xe9} and {@code \xe8t\xe8}) that would all meet in one iRODS object.
     */
    public Resolved resolve(String path) throws FsException {
        if (path.indexOf('\uFFFD') >= 0) {
            throw new FsException(Errno.EILSEQ, "name is not valid UTF-8 (or holds U+FFFD), which this mount cannot"
                + " tell apart from other names: " + path);
        }
        for (Mapping m : mappings) {
            String mp = m.mountPath();
            if (mp.equals("/") || path.equals(mp) || path.startsWith(mp + "/")) {
                String rest = mp.equals("/") ? path : path.substring(mp.length());
                String irods = rest.isEmpty() || rest.equals("/") ? m.irodsPath()
                    : (m.irodsPath().equals("/") ? rest : m.irodsPath() + rest);
                return new Resolved(irods, m.readOnly(), List.of());
            }
        }
        TreeSet<String> children = new TreeSet<>();
        String prefix = path.equals("/") ? "/" : path + "/";
        for (Mapping m : mappings) {
            if (m.mountPath().startsWith(prefix)) {
                String rest = m.mountPath().substring(prefix.length());
                children.add(rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest);
            }
        }
        if (children.isEmpty()) {
            throw new FsException(Errno.ENOENT, "not under any mapping: " + path);
        }
        return new Resolved(null, true, List.copyOf(children));
    }
}
