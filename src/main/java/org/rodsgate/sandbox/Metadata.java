package org.rodsgate.sandbox;

import java.util.List;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.protocol.ModAccessControlInp;
import org.rodsgate.irods.protocol.ModAvuInp;
import org.rodsgate.irods.protocol.XmlNode;

/** AVU and ACL changes (MOD_AVU_METADATA 706, MOD_ACCESS_CONTROL 707). */
final class Metadata {
    private Metadata() {}

    /** The catalog id behind an AVU target: {@code -d} data object, {@code -C} collection, {@code -u} user. */
    private static long target(Session s, String type, String name) throws SandboxError {
        switch (type == null ? "" : type) {
            case "-d" -> {
                Catalog.Data d = s.catalog().tx(c -> c.data(name));
                if (d == null || !s.visible(d.id())) {
                    throw new SandboxError(ErrorCode.CAT_UNKNOWN_FILE, "no data object " + name);
                }
                return d.id();
            }
            case "-C", "-c" -> {
                Catalog.Coll co = s.catalog().tx(c -> c.coll(name));
                if (co == null || !s.visible(co.id())) {
                    throw new SandboxError(ErrorCode.CAT_UNKNOWN_COLLECTION, "no collection " + name);
                }
                return co.id();
            }
            case "-u" -> {
                if (!s.user.isAdmin()) {
                    throw new SandboxError(ErrorCode.CAT_INSUFFICIENT_PRIVILEGE_LEVEL, "user AVUs need rodsadmin");
                }
                Catalog.User u = s.catalog().tx(c -> c.user(name));
                if (u == null) {
                    throw new SandboxError(ErrorCode.CAT_INVALID_USER, "no user " + name);
                }
                return u.id();
            }
            default -> throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "unsupported AVU target type " + type);
        }
    }

    static Agent.Reply modAvu(Session s, XmlNode in) throws SandboxError {
        ModAvuInp m = ModAvuInp.parse(in);
        String op = m.arg(0) == null ? "" : m.arg(0);
        String type = m.arg(1);
        String a = m.arg(3);
        String v = m.arg(4);
        String u = m.arg(5) == null ? "" : m.arg(5);
        if (op.equals("cp")) {
            return copyAvus(s, type, m.arg(2), m.arg(3), m.arg(4));
        }
        long id = target(s, type, m.arg(2));
        if (!"-u".equals(type) && s.level(id) < Access.CREATE_METADATA.type) {
            throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " may not change metadata of "
                + m.arg(2));
        }
        if (op.equals("rmi")) {
            long avuId = Long.parseLong(a.trim());
            s.catalog().tx(c -> c.update("DELETE FROM metamap WHERE object_id = ? AND meta_id = ?", id, avuId));
            return Agent.Reply.ok(0);
        }
        if (a == null || a.isEmpty() || v == null || v.isEmpty()) {
            throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "AVU attribute and value must not be empty");
        }
        s.catalog().tx(c -> {
            switch (op) {
                case "add", "adda" -> {
                    if (c.hasAvu(id, a, v, u)) {
                        if (op.equals("adda")) {
                            return null;
                        }
                        throw new SandboxError(ErrorCode.CATALOG_ALREADY_HAS_ITEM_BY_THAT_NAME,
                            "AVU already present: " + a + "=" + v);
                    }
                    c.addAvu(id, a, v, u);
                }
                case "set" -> {
                    c.removeAttribute(id, a);
                    c.addAvu(id, a, v, u);
                }
                case "rm", "rmw" -> {
                    if (c.removeAvus(id, a, v, m.arg(5), op.equals("rmw")) == 0) {
                        // 5.0.2 answers this, with no error part (golden avu_rm_missing, avu_rm_other_value)
                        throw new SandboxError(ErrorCode.CAT_SUCCESS_BUT_WITH_NO_INFO, null);
                    }
                }
                default -> throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED, "AVU operation " + op
                    + " is not implemented by the sandbox");
            }
            return null;
        });
        return Agent.Reply.ok(0);
    }

    /** {@code imeta cp -d|-C -d|-C SRC DST}: every AVU of SRC added to DST (those DST has already are kept once). */
    private static Agent.Reply copyAvus(Session s, String srcType, String dstType, String src, String dst)
        throws SandboxError {
        long from = target(s, srcType, src);
        long to = target(s, dstType, dst);
        if (s.level(from) < Access.READ_METADATA.type || s.level(to) < Access.CREATE_METADATA.type) {
            throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " may not copy metadata from "
                + src + " to " + dst);
        }
        s.catalog().tx(c -> {
            List<String[]> avus = new java.util.ArrayList<>();
            try (var p = c.prepare("SELECT m.name, m.value, m.units FROM meta m JOIN metamap mm ON mm.meta_id = m.id"
                + " WHERE mm.object_id = ?", from); var r = p.executeQuery()) {
                while (r.next()) {
                    avus.add(new String[] {r.getString(1), r.getString(2), r.getString(3)});
                }
            }
            for (String[] x : avus) {
                if (!c.hasAvu(to, x[0], x[1], x[2])) {
                    c.addAvu(to, x[0], x[1], x[2]);
                }
            }
            return null;
        });
        return Agent.Reply.ok(0);
    }

    static Agent.Reply modAccess(Session s, XmlNode in) throws SandboxError {
        ModAccessControlInp m = ModAccessControlInp.parse(in);
        String level = m.accessLevel();
        boolean adminMode = level.startsWith("admin:");
        if (adminMode) {
            level = level.substring("admin:".length());
            if (!s.user.isAdmin()) {
                throw new SandboxError(ErrorCode.CAT_INSUFFICIENT_PRIVILEGE_LEVEL, "admin mode needs rodsadmin");
            }
        }
        String path = m.path();
        Catalog.Data d = s.catalog().tx(c -> c.data(path));
        Catalog.Coll co = d == null ? s.catalog().tx(c -> c.coll(path)) : null;
        if (d == null && co == null) {
            throw new SandboxError(ErrorCode.CAT_NO_ROWS_FOUND, "no such path: " + path);
        }
        long id = d != null ? d.id() : co.id();
        if (!adminMode && s.level(id) < Access.OWN.type) {
            throw new SandboxError(ErrorCode.CAT_NO_ACCESS_PERMISSION, s.user.name() + " does not own " + path);
        }
        String lv = level.trim().toLowerCase();
        if (lv.equals("inherit") || lv.equals("noinherit")) {
            if (co == null) {
                throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "inherit applies to collections only");
            }
            boolean on = lv.equals("inherit");
            s.catalog().tx(c -> {
                for (Catalog.Coll x : m.recursiveFlag() != 0 ? c.subtree(co) : List.of(co)) {
                    c.setInherit(x.id(), on);
                }
                return null;
            });
            return Agent.Reply.ok(0);
        }
        Access a = Access.parse(lv);
        if (a == null) {
            throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "unknown access level " + level);
        }
        Catalog.User who = s.catalog().tx(c -> c.user(m.userName()));
        if (who == null) {
            throw new SandboxError(ErrorCode.CAT_INVALID_USER, "no user or group " + m.userName());
        }
        s.catalog().tx(c -> {
            if (co != null && m.recursiveFlag() != 0) {
                for (Catalog.Coll x : c.subtree(co)) {
                    c.setAccess(x.id(), who.id(), a);
                    for (Catalog.Data obj : c.dataIn(x.id())) {
                        c.setAccess(obj.id(), who.id(), a);
                    }
                }
            } else {
                c.setAccess(id, who.id(), a);
            }
            return null;
        });
        return Agent.Reply.ok(0);
    }
}
