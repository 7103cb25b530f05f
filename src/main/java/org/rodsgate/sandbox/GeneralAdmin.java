package org.rodsgate.sandbox;

import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.protocol.XmlNode;

/**
 * GENERAL_ADMIN (701), what {@code iadmin} sends, rodsadmin only: specific queries ({@code add|rm specificQuery},
 * see {@link SpecificQueries}), users and groups ({@code add user NAME TYPE}, which gives a user a home and a trash
 * collection as iRODS does; {@code rm user NAME}, which removes their empty home and trash;
 * {@code modify user NAME type TYPE}; {@code modify group GROUP add|remove USER}). Passwords are not set this way
 * (iRODS scrambles them with the session's key; sandbox users get theirs from {@code --users-file}); resources,
 * zones and quotas answer SYS_NOT_SUPPORTED.
 */
final class GeneralAdmin {
    private GeneralAdmin() {}

    static Agent.Reply handle(Session s, XmlNode in) throws SandboxError {
        String verb = in.str("arg0", "");
        String what = in.str("arg1", "");
        if (what.equals("specificQuery")) {
            return SpecificQueries.admin(s, in);
        }
        if (!s.user.isAdmin()) {
            throw new SandboxError(ErrorCode.CAT_INSUFFICIENT_PRIVILEGE_LEVEL, "iadmin needs a rodsadmin");
        }
        String name = userName(in.str("arg2", ""));
        String zone = "/" + s.catalog().zone();
        s.catalog().tx(c -> {
            switch (verb + " " + what) {
                case "add user" -> {
                    String type = in.str("arg3", "rodsuser");
                    if (!type.equals("rodsuser") && !type.equals("rodsadmin") && !type.equals("groupadmin")
                        && !type.equals("rodsgroup")) {
                        throw new SandboxError(ErrorCode.CAT_INVALID_USER_TYPE.code, null);
                    }
                    if (name.isEmpty() || c.user(name) != null) {
                        throw new SandboxError(ErrorCode.CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME, null);
                    }
                    Catalog.User u = c.createUser(name, type);
                    if (type.equals("rodsgroup")) {
                        c.addToGroup(u.id(), u.id()); // as iRODS: a group is listed as a member of itself
                    } else {
                        Catalog.User pub = c.user("public");
                        if (pub != null) {
                            c.addToGroup(pub.id(), u.id());
                        }
                        Bootstrap.ensureHome(c, u, zone);
                    }
                }
                case "rm user" -> {
                    Catalog.User u = existing(c, name);
                    for (String home : new String[] {zone + "/home/" + name, zone + "/trash/home/" + name}) {
                        Catalog.Coll h = c.coll(home);
                        if (h != null) {
                            if (!c.dataIn(h.id()).isEmpty() || c.subtree(h).size() > 1) {
                                throw new SandboxError(ErrorCode.CANT_RM_NON_EMPTY_HOME_COLL, null);
                            }
                            c.deleteObject(h.id());
                        }
                    }
                    c.update("DELETE FROM group_members WHERE user_id = ? OR group_id = ?", u.id(), u.id());
                    c.update("DELETE FROM access WHERE user_id = ?", u.id());
                    c.update("DELETE FROM passwords WHERE user_id = ?", u.id());
                    c.update("DELETE FROM users WHERE id = ?", u.id());
                }
                case "modify user" -> {
                    Catalog.User u = existing(c, name);
                    if (!in.str("arg3", "").equals("type")) {
                        throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED, "iadmin moduser " + in.str("arg3", "")
                            + " is not implemented by the sandbox");
                    }
                    c.update("UPDATE users SET type = ? WHERE id = ?", in.str("arg4", ""), u.id());
                }
                case "modify group" -> {
                    Catalog.User g = existing(c, name);
                    Catalog.User u = existing(c, userName(in.str("arg4", "")));
                    if (in.str("arg3", "").equals("add")) {
                        c.addToGroup(g.id(), u.id());
                    } else {
                        c.update("DELETE FROM group_members WHERE group_id = ? AND user_id = ?", g.id(), u.id());
                    }
                }
                default -> throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED, "iadmin " + verb + " " + what
                    + " is not implemented by the sandbox");
            }
            return null;
        });
        return Agent.Reply.ok(0);
    }

    /** {@code name#zone} as iadmin may send it: the sandbox has one zone. */
    private static String userName(String s) {
        int i = s.indexOf('#');
        return i < 0 ? s : s.substring(0, i);
    }

    private static Catalog.User existing(Catalog c, String name) throws java.sql.SQLException, SandboxError {
        Catalog.User u = c.user(name);
        if (u == null) {
            throw new SandboxError(ErrorCode.CAT_INVALID_USER, null);
        }
        return u;
    }
}
