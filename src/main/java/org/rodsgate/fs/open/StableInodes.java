package org.rodsgate.fs.open;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.rodsgate.irods.IrodsAccount;

/**
 * Keeps a file's inode number when this process replaces its contents. A safe replacement switches in a new data
 * object (a new data id, which is the inode number), but to programs it is the same file: SQLite refuses to write
 * to a database whose inode changed under it ({@code SQLITE_READONLY_DBMOVED}), {@code tail -F} and backup tools
 * take it for a new file. So the new data id is remembered as an alias of the old inode number.
 * Bounded (the newest {@value #MAX} replacements) and lost at restart: after a remount, a replaced file shows its
 * own data id, as a file replaced by another client always does. Keyed by server and zone, so that several zones
 * in one process (tests) never mix their ids.
 */
public final class StableInodes {
    /** Replacements remembered: about 100 bytes each, so at most ~10 MB. */
    static final int MAX = 100_000;
    private static final Cache<Key, Long> ALIASES = Caffeine.newBuilder().maximumSize(MAX).build();

    private StableInodes() {
    }

    /** The inode number to show for data id {@code id} on the server of {@code account}. */
    public static long ino(IrodsAccount account, long id) {
        Long ino = ALIASES.getIfPresent(key(account, id));
        return ino == null ? id : ino;
    }

    /** After {@code newId} replaced {@code oldId}: {@code newId} shows the inode number {@code oldId} showed. */
    static void replaced(IrodsAccount account, long oldId, long newId) {
        if (oldId != newId) {
            ALIASES.put(key(account, newId), ino(account, oldId));
        }
    }

    /** A data id on one server and zone (ids are unique only there). */
    private record Key(String host, int port, String zone, long id) {}

    private static Key key(IrodsAccount a, long id) {
        return new Key(a.host(), a.port(), a.zone(), id);
    }
}
