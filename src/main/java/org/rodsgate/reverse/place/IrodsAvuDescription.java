package org.rodsgate.reverse.place;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.logging.Logger;
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
    private static final Logger LOG = Logger.getLogger(IrodsAvuDescription.class.getName());
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
        if (rule.kind() == PlacementRule.Kind.MANAGED_ON_MOUNT) {
            // what OMERO's server wrote through the mount belongs to the iRODS identity it writes with, not to the
            // OMERO owner's iRODS user: each object is described as its owner (the gateway proxying, as for
            // omero.deleted), and the OMERO owner gets read — OMERO owns those bytes, as with a registration
            boolean group = fs.group() != null && !fs.group().isEmpty()
                && pool.run(account, true, s -> groupExists(s, fs.group()));
            for (Placed p : placed) {
                ObjStat st = pool.run(account, true, s -> s.statOrNull(p.irodsPath()));
                if (st == null) {
                    throw new IOException("describe " + p.irodsPath() + ": not in iRODS any more");
                }
                try (ConnectionPool.Lease l = pool.acquire(IrodsPlacement.actingFor(account, st.owner()))) {
                    describeOne(l.session(), p, fs, images, omeroServer, irodsUser, "read", group);
                }
            }
            return;
        }
        IrodsAccount who = register ? account : IrodsPlacement.actingFor(account, irodsUser);
        try (ConnectionPool.Lease l = pool.acquire(who)) {
            IrodsSession s = l.session();
            boolean group = fs.group() != null && !fs.group().isEmpty() && groupExists(s, fs.group());
            for (Placed p : placed) {
                describeOne(s, p, fs, images, omeroServer, irodsUser, register ? "read" : "own", group);
            }
        }
    }

    /** The AVUs and ACLs of one placed object, in a session that may change them. */
    private void describeOne(IrodsSession s, Placed p, OmeroFileset fs, List<Long> images, String omeroServer,
                             String irodsUser, String userAccess, boolean group) throws IOException {
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
            grant(s, path, acls, irodsUser, userAccess);
        }
        if (group) {
            grant(s, path, acls, fs.group(), "read");
        }
    }

    /**
     * Marks only what is still the fileset's: an object at a listed path counts when it carries the
     * {@code omero.fileset} and {@code omero.server} that the description put on the fileset's objects (the ones most
     * listed paths carry), so an object a user put in the place of one (removed, then written anew) is left alone;
     * objects of that fileset a user moved elsewhere are found by those two AVUs (one GenQuery per fileset) and
     * marked too. Objects gone from iRODS are skipped. Cost: per listed path a stat and an AVU query, plus one
     * GenQuery.
     */
    @Override
    public void markDeleted(List<String> irodsPaths, long deletedAtMillis) throws IOException {
        String when = iso(deletedAtMillis);
        Map<String, List<Avu>> avus = new LinkedHashMap<>();
        Map<List<String>, Integer> seen = new HashMap<>();
        for (String path : new LinkedHashSet<>(irodsPaths)) {
            ObjStat st = pool.run(account, true, s -> s.statOrNull(path));
            if (st == null || st.isCollection()) {
                continue; // gone from iRODS (or never a data object): nothing to mark, nothing to remove
            }
            List<Avu> have = pool.run(account, true, s -> s.listAvus(path, false));
            avus.put(path, have);
            List<String> id = identity(have);
            if (id != null) {
                seen.merge(id, 1, Integer::sum);
            }
        }
        List<String> id = seen.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
            .orElse(null);
        if (id == null) {
            if (!avus.isEmpty()) {
                LOG.warning("omero.deleted: none of " + avus.keySet() + " carries " + FILESET + " and " + SERVER
                    + " any more (replaced in iRODS?): nothing marked");
            }
            return;
        }
        for (Map.Entry<String, List<Avu>> e : avus.entrySet()) {
            if (id.equals(identity(e.getValue()))) {
                mark(e.getKey(), e.getValue(), when);
            } else {
                LOG.warning("omero.deleted: " + e.getKey() + " is no longer fileset " + id.get(0) + " of "
                    + id.get(1) + " (replaced in iRODS?): not marked");
            }
        }
        if (!GenQuery.isLiteral(id.get(0))) {
            return;
        }
        List<List<String>> rows = pool.run(account, true, s -> s.queryAll(GenQuery.select(Column.COLL_NAME,
            Column.DATA_NAME).whereEq(Column.META_DATA_ATTR_NAME, FILESET).whereEq(Column.META_DATA_ATTR_VALUE,
            id.get(0))));
        for (List<String> r : rows) {
            String path = r.get(0).equals("/") ? "/" + r.get(1) : r.get(0) + "/" + r.get(1);
            if (avus.containsKey(path)) {
                continue;
            }
            List<Avu> have = pool.run(account, true, s -> s.listAvus(path, false));
            if (id.equals(identity(have))) {
                avus.put(path, have);
                mark(path, have, when); // moved by a user: still the fileset's
            }
        }
    }

    /**
     * Marks {@code path} as OMERO's copy of fileset {@code filesetId} ({@code omero.fileset}, and
     * {@code omero.server} when known) — on a work object before its rename or a registered object right after
     * its registration, so every rodsgate watcher knows it as OMERO's from the moment it appears under its name
     * (the forward watcher skips objects carrying an {@code omero.fileset} it did not register itself).
     */
    static void identify(IrodsSession s, String path, long filesetId, String server) throws IrodsException {
        s.setAvu(path, false, new Avu(FILESET, Long.toString(filesetId), ""));
        if (server != null && !server.isEmpty()) {
            s.setAvu(path, false, new Avu(SERVER, server, ""));
        }
    }

    /**
     * A COPY or REGISTER target that exists already and is described as another fileset's ({@code omero.fileset}):
     * two filesets whose files the path template maps to one object (a template without {@code %fileset%}) would
     * share it, and each description would take it from the other. Refused with CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME
     * naming both filesets; an object not described yet (a placement cut before its description) is left to the
     * caller's checks.
     */
    static void refuseOtherFileset(IrodsSession s, String path, long filesetId, String what) throws IOException {
        List<String> ids = values(s.listAvus(path, false), FILESET);
        if (!ids.isEmpty() && !ids.contains(Long.toString(filesetId))) {
            throw new IrodsException(org.rodsgate.irods.ErrorCode.CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME.code, what
                + ": iRODS has it already as OMERO fileset " + String.join(", ", ids) + "'s, not fileset "
                + filesetId + "'s: refused (the path template gives both filesets one path; add %fileset%)");
        }
    }

    /**
     * [omero.fileset, omero.server ("" when the description had no server)] of an object, or null when it has no
     * single omero.fileset (or several omero.server).
     */
    private static List<String> identity(List<Avu> have) {
        List<String> f = values(have, FILESET);
        List<String> s = values(have, SERVER);
        return f.size() == 1 && s.size() <= 1 ? List.of(f.get(0), s.isEmpty() ? "" : s.get(0)) : null;
    }

    /** Sets omero.deleted as the object's owner (who may set AVUs on it), unless it holds that time already. */
    private void mark(String path, List<Avu> have, String when) throws IOException {
        if (values(have, DELETED).equals(List.of(when))) {
            return;
        }
        ObjStat st = pool.run(account, true, s -> s.statOrNull(path));
        if (st == null) {
            return;
        }
        pool.run(IrodsPlacement.actingFor(account, st.owner()), true, s -> {
            s.setAvu(path, false, new Avu(DELETED, when, ""));
            return null;
        });
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
            try {
                s.setAvu(path, false, new Avu(attribute, value, ""));
            } catch (IrodsException e) {
                throw e.in("describe: set " + attribute + " = '" + value + "' on", path);
            }
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
                try {
                    s.addAvu(path, false, new Avu(attribute, v, ""));
                } catch (IrodsException e) {
                    throw e.in("describe: add " + attribute + " = '" + v + "' to", path);
                }
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
        try {
            s.setAcl(path, user, level, false);
        } catch (IrodsException e) {
            throw e.in("describe: give iRODS user or group '" + user + "' " + level + " access to", path);
        }
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
