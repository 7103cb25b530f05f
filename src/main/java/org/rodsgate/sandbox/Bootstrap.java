package org.rodsgate.sandbox;

/**
 * Gives a new catalog what a fresh iRODS zone has — the rodsadmin {@code rods}, the group {@code public}, the
 * collections {@code /}, {@code /zone}, {@code /zone/home}, {@code /zone/trash/home} and a home per user — and
 * applies the configured users on every start (new users created, passwords updated).
 *
 * <p>ACLs as in a fresh 5.0.2 zone (golden frames {@code rods_genquery_coll_acl_*}): {@code rods} owns {@code /},
 * {@code /zone}, {@code /zone/home} and the trash, and nobody else has any right there, so an ordinary user cannot
 * even stat them; each user owns their home (rods has no entry there); {@code public} may read
 * {@code /zone/home/public}, the collection meant for sharing.
 */
final class Bootstrap {
    private Bootstrap() {}

    static void apply(Catalog cat, SandboxConfig cfg) throws SandboxError {
        cat.tx(c -> {
            String z = "/" + cfg.zone();
            Catalog.User rods = c.user("rods");
            if (rods == null) {
                rods = c.createUser("rods", "rodsadmin");
            }
            c.setPassword(rods.id(), cfg.adminPassword(), "native", 0);
            Catalog.User pub = c.user("public");
            if (pub == null) {
                pub = c.createUser("public", "rodsgroup");
            }
            c.addToGroup(pub.id(), rods.id());
            for (String path : new String[] {"/", z, z + "/home", z + "/home/public", z + "/trash", z + "/trash/home"}) {
                if (c.coll(path) == null) {
                    Catalog.Coll co = c.createColl(path, rods);
                    if (path.equals(z + "/home/public")) {
                        c.setAccess(co.id(), pub.id(), Access.READ_OBJECT);
                    }
                }
            }
            ensureHome(c, rods, z);
            for (String spec : cfg.users()) {
                String[] p = spec.split(":", 3);
                if (p.length < 2 || p[0].isEmpty()) {
                    throw new SandboxError(org.rodsgate.irods.ErrorCode.CAT_INVALID_ARGUMENT,
                        "user must be name:password[:type], got '" + p[0] + ":...'");
                }
                String type = p.length > 2 ? p[2] : "rodsuser";
                Catalog.User u = c.user(p[0]);
                if (u == null) {
                    u = c.createUser(p[0], type);
                }
                c.setPassword(u.id(), p[1], "native", 0);
                c.addToGroup(pub.id(), u.id());
                ensureHome(c, u, z);
            }
            for (String spec : cfg.pamUsers()) {
                String[] p = spec.split(":", 2);
                if (p.length < 2) {
                    throw new SandboxError(org.rodsgate.irods.ErrorCode.CAT_INVALID_ARGUMENT,
                        "PAM user must be name:pampassword");
                }
                Catalog.User u = c.user(p[0]);
                if (u == null) {
                    u = c.createUser(p[0], "rodsuser");
                    c.addToGroup(pub.id(), u.id());
                }
                c.setPassword(u.id(), p[1], "pam", 0);
                ensureHome(c, u, z);
            }
            return null;
        });
    }

    static void ensureHome(Catalog c, Catalog.User u, String z) throws java.sql.SQLException {
        String home = z + "/home/" + u.name();
        if (c.coll(home) == null) {
            c.createColl(home, u);
        }
        String trash = z + "/trash/home/" + u.name();
        if (c.coll(trash) == null) {
            c.createColl(trash, u);
        }
    }
}
