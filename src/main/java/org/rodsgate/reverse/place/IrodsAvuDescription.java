package org.rodsgate.reverse.place;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.rodsgate.irods.Acl;
import org.rodsgate.irods.Avu;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;
import org.rodsgate.reverse.OmeroFileset;

/**
 * Describes placed files in iRODS with AVUs and ACLs (see {@link IrodsDescription}). Idempotent: it reads an
 * object's AVUs and ACLs first and changes only what differs, so a second call with the same facts changes nothing
 * and adds no duplicate; {@code omero.registered} keeps the time of the first description. Runs as the iRODS user
 * the OMERO owner maps to (the gateway proxying for them), or for REGISTER as the gateway, which owns registered
 * objects; deletions are marked as each object's owner. Cost per object: two GenQueries (AVUs, ACLs) plus one call
 * per change; one GenQuery per fileset for the group.
 */
public final class IrodsAvuDescription implements IrodsDescription {
    public static final String FILESET = "omero.fileset";
    public static final String IMAGE = "omero.image";
    public static final String OWNER = "omero.owner";
    public static final String GROUP = "omero.group";
    public static final String SERVER = "omero.server";
    public static final String CLIENT_PATH = "omero.clientPath";
    public static final String REGISTERED = "omero.registered";
    public static final String DELETED = "omero.deleted";

    private final ConnectionPool pool;
    private final IrodsAccount account;
    private final LongSupplier clockMillis;

    /** {@code account}: the gateway's (a rodsadmin, to act for users); {@code clockMillis}: epoch milliseconds. */
    public IrodsAvuDescription(ConnectionPool pool, IrodsAccount account, LongSupplier clockMillis) {
        this.pool = pool;
        this.account = account;
        this.clockMillis = clockMillis;
    }

    public IrodsAvuDescription(ConnectionPool pool, IrodsAccount account) {
        this(pool, account, System::currentTimeMillis);
    }

    /** ISO-8601 UTC, whole seconds: {@code 2026-12-01T03:04:05Z}. */
    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    @Override
    public void describe(List<Placed> placed, OmeroFileset fs, List<Long> images, String omeroServer,
                         String irodsUser, PlacementRule rule) throws IOException {
        boolean register = rule.kind() == PlacementRule.Kind.REGISTER;
        IrodsAccount who = register ? account : IrodsPlacement.actingFor(account, irodsUser);
        try (ConnectionPool.Lease l = pool.acquire(who)) {
            IrodsSession s = l.session();
            boolean group = fs.group() != null && !fs.group().isEmpty() && groupExists(s, fs.group());
            for (Placed p : placed) {
                String path = p.irodsPath();
                List<Avu> have = s.listAvus(path, false);
                setOne(s, path, have, FILESET, Long.toString(fs.id()));
                setMany(s, path, have, IMAGE, images.stream().map(String::valueOf).toList());
                setOne(s, path, have, OWNER, fs.owner());
                setOne(s, path, have, GROUP, fs.group());
                setOne(s, path, have, SERVER, omeroServer);
                setOne(s, path, have, CLIENT_PATH, p.file().clientPath());
                if (values(have, REGISTERED).isEmpty()) {
                    s.addAvu(path, false, new Avu(REGISTERED, iso(clockMillis.getAsLong()), ""));
                }
                List<Acl> acls = s.listAcls(path, false);
                if (irodsUser != null && !irodsUser.isEmpty()) {
                    grant(s, path, acls, irodsUser, register ? "read" : "own");
                }
                if (group) {
                    grant(s, path, acls, fs.group(), "read");
                }
            }
        }
    }

    @Override
    public void markDeleted(List<String> irodsPaths, long deletedAtMillis) throws IOException {
        String when = iso(deletedAtMillis);
        for (String path : irodsPaths) {
            ObjStat st = pool.run(account, true, s -> s.statOrNull(path));
            if (st == null || st.isCollection()) {
                continue; // gone from iRODS (or never a data object): nothing to mark, nothing to remove
            }
            pool.run(IrodsPlacement.actingFor(account, st.owner()), true, s -> {
                List<Avu> have = s.listAvus(path, false);
                if (!values(have, DELETED).equals(List.of(when))) {
                    s.setAvu(path, false, new Avu(DELETED, when, ""));
                }
                return null;
            });
        }
    }

    private static List<String> values(List<Avu> have, String attribute) {
        List<String> out = new ArrayList<>();
        for (Avu a : have) {
            if (a.attribute().equals(attribute)) {
                out.add(a.value());
            }
        }
        return out;
    }

    /** The attribute holds exactly {@code value} afterwards (imeta set), changed only when it did not. */
    private static void setOne(IrodsSession s, String path, List<Avu> have, String attribute, String value)
        throws IrodsException {
        if (value == null || value.isEmpty()) {
            return; // iRODS cannot hold an empty value; an unknown fact is left out
        }
        if (!values(have, attribute).equals(List.of(value))) {
            s.setAvu(path, false, new Avu(attribute, value, ""));
        }
    }

    /** The attribute holds exactly {@code want} afterwards: missing values added, others removed. */
    private static void setMany(IrodsSession s, String path, List<Avu> have, String attribute, List<String> want)
        throws IrodsException {
        Set<String> now = new LinkedHashSet<>(values(have, attribute));
        for (Avu a : have) {
            if (a.attribute().equals(attribute) && !want.contains(a.value())) {
                s.removeAvu(path, false, a);
            }
        }
        for (String v : new LinkedHashSet<>(want)) {
            if (!now.contains(v)) {
                s.addAvu(path, false, new Avu(attribute, v, ""));
            }
        }
    }

    /** Gives {@code user} {@code level} unless an entry of that level or higher is there already. */
    private static void grant(IrodsSession s, String path, List<Acl> acls, String user, String level)
        throws IrodsException {
        int want = rank(level);
        for (Acl a : acls) {
            if (a.user().equals(user) && rank(a.normalizedAccess()) >= want) {
                return;
            }
        }
        s.setAcl(path, user, level, false);
    }

    private static int rank(String access) {
        if (access.contains("own")) {
            return 3;
        }
        if (access.contains("write") || access.contains("modify") || access.contains("delete")) {
            return 2;
        }
        return access.contains("read") ? 1 : 0;
    }

    /** Whether an iRODS group of this name exists (a name GenQuery cannot carry literally is taken as none). */
    private static boolean groupExists(IrodsSession s, String group) throws IrodsException {
        if (!GenQuery.isLiteral(group)) {
            return false;
        }
        return !s.queryAll(GenQuery.select(Column.USER_NAME).whereEq(Column.USER_NAME, group)
            .whereEq(Column.USER_TYPE, "rodsgroup")).isEmpty();
    }
}
