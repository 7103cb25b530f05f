package org.rodsgate.sandbox;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.protocol.GenQueryInp;
import org.rodsgate.irods.query.ConditionSyntax;

/**
 * Runs GenQuery against the catalog by translating it to one SQL statement, as the iRODS server does: the tables
 * behind the selected and conditioned columns are joined implicitly, rows are DISTINCT unless asked otherwise,
 * ordered by the user's ORDER_BY columns then by collection name, data name and replica number, and for users who
 * are not rodsadmin filtered to rows they may read ("strict" ACLs). Every value is an SQL bind parameter.
 */
final class QueryEngine {
    private record Col(String expr, String alias) {}

    private static final Map<Integer, Col> COLS = new HashMap<>();

    private static void col(int n, String expr, String alias) {
        COLS.put(n, new Col(expr, alias));
    }

    static {
        col(101, "'9000'", null);
        col(102, "?ZONE", null);
        col(201, "U.id", "U"); col(202, "U.name", "U"); col(203, "U.type", "U"); col(204, "U.zone", "U");
        col(205, "''", "U"); col(206, "''", "U"); col(207, "''", "U"); col(208, "U.create_ts", "U");
        col(209, "U.modify_ts", "U");
        col(301, "'" + Catalog.RESOURCE_ID + "'", null); col(302, "'" + Catalog.RESOURCE + "'", null);
        for (int i = 303; i <= 318; i++) {
            col(i, "''", null);
        }
        col(401, "D.id", "D"); col(402, "D.coll_id", "D"); col(403, "D.name", "D"); col(404, "D.repl_num", "D");
        col(405, "''", "D"); col(406, "D.data_type", "D"); col(407, "D.size", "D"); col(408, "''", "D");
        col(409, "'" + Catalog.RESOURCE + "'", "D"); col(410, "D.data_path", "D"); col(411, "D.owner_name", "D");
        col(412, "D.owner_zone", "D"); col(413, "D.repl_status", "D"); col(414, "''", "D");
        col(415, "D.checksum", "D"); col(416, "''", "D"); col(417, "'0'", "D"); col(418, "''", "D");
        col(419, "D.create_ts", "D"); col(420, "D.modify_ts", "D"); col(421, "''", "D");
        col(422, "'" + Catalog.RESOURCE + "'", "D"); col(423, "'" + Catalog.RESOURCE_ID + "'", "D");
        col(424, "D.modify_ts", "D");
        col(500, "C.id", "C"); col(501, "C.name", "C"); col(502, "C.parent_name", "C");
        col(503, "C.owner_name", "C"); col(504, "C.owner_zone", "C"); col(505, "'0'", "C");
        col(506, "CASE WHEN C.inherit = 1 THEN '1' ELSE '' END", "C"); col(507, "''", "C");
        col(508, "C.create_ts", "C"); col(509, "C.modify_ts", "C"); col(510, "''", "C"); col(511, "''", "C");
        col(512, "''", "C");
        col(600, "MD.name", "MD"); col(601, "MD.value", "MD"); col(602, "MD.units", "MD"); col(603, "MD.id", "MD");
        col(604, "MD.create_ts", "MD"); col(605, "MD.modify_ts", "MD");
        col(610, "MC.name", "MC"); col(611, "MC.value", "MC"); col(612, "MC.units", "MC"); col(613, "MC.id", "MC");
        col(614, "MC.create_ts", "MC"); col(615, "MC.modify_ts", "MC");
        col(700, "AD.access_type", "AD"); col(701, accessName("AD"), "AD"); col(702, "'access_type'", "AD");
        col(703, "AD.user_id", "AD"); col(704, "AD.object_id", "AD");
        col(710, "AC.access_type", "AC"); col(711, accessName("AC"), "AC"); col(712, "'access_type'", "AC");
        col(713, "AC.user_id", "AC"); col(714, "AC.object_id", "AC");
        col(900, "G.id", "G"); col(901, "G.name", "G");
        col(1300, "UC.name", "UC"); col(1301, "UC.zone", "UC");
        col(1310, "UD.name", "UD"); col(1311, "UD.zone", "UD");
    }

    private static String accessName(String a) {
        StringBuilder b = new StringBuilder("CASE " + a + ".access_type");
        for (Access x : Access.values()) {
            b.append(" WHEN ").append(x.type).append(" THEN '").append(x.name).append('\'');
        }
        return b.append(" ELSE 'null' END").toString();
    }

    /** What an alias needs: its FROM item, the aliases it depends on, and its join condition. */
    private static final Map<String, String[]> TABLES = new HashMap<>();

    static {
        TABLES.put("D", new String[] {"data D", "", ""});
        TABLES.put("C", new String[] {"colls C", "", ""});
        TABLES.put("MD", new String[] {"metamap MMD, meta MD", "D", "MMD.object_id = D.id AND MD.id = MMD.meta_id"});
        TABLES.put("MC", new String[] {"metamap MMC, meta MC", "C", "MMC.object_id = C.id AND MC.id = MMC.meta_id"});
        TABLES.put("AD", new String[] {"access AD", "", ""});
        TABLES.put("AC", new String[] {"access AC", "C", "AC.object_id = C.id"});
        TABLES.put("U", new String[] {"users U", "", ""});
        TABLES.put("UC", new String[] {"users UC", "AC", "UC.id = AC.user_id"});
        TABLES.put("UD", new String[] {"users UD", "AD", "UD.id = AD.user_id"});
        TABLES.put("G", new String[] {"group_members GM, users G", "U", "GM.user_id = U.id AND G.id = GM.group_id"});
    }

    record Result(int[] columns, List<List<String>> rows) {}

    private final Catalog catalog;

    QueryEngine(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Runs the whole query for {@code user}; {@code principals} are the user's id and group ids. */
    Result run(GenQueryInp q, Catalog.User user, List<Long> principals) throws SandboxError {
        if (q.selects().isEmpty()) {
            throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "GenQuery without select columns");
        }
        Set<String> aliases = new LinkedHashSet<>();
        List<String> selectExprs = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        List<String> orderBy = new ArrayList<>();
        boolean aggregate = false;
        int[] columns = new int[q.selects().size()];
        for (int i = 0; i < q.selects().size(); i++) {
            int[] s = q.selects().get(i);
            columns[i] = s[0];
            Col c = column(s[0]);
            need(aliases, c.alias);
            String e = c.expr;
            int fn = s[1] & 0xF;
            String agg = switch (fn) {
                case 2 -> "MIN";
                case 3 -> "MAX";
                case 4 -> "SUM";
                case 5 -> "AVG";
                case 6 -> "COUNT";
                default -> null;
            };
            if (agg != null) {
                aggregate = true;
                e = agg + "(" + e + ")";
            } else {
                groupBy.add(c.expr);
            }
            selectExprs.add(e);
            if ((s[1] & GenQueryInp.ORDER_BY_DESC) != 0) {
                orderBy.add(e + " DESC");
            } else if ((s[1] & GenQueryInp.ORDER_BY) != 0) {
                orderBy.add(e);
            }
        }
        for (int defaultOrder : new int[] {501, 403, 404}) {
            for (int[] s : q.selects()) {
                if (s[0] == defaultOrder && (s[1] & 0xF) <= 1) {
                    orderBy.add(COLS.get(defaultOrder).expr);
                    break;
                }
            }
        }
        List<String> where = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        for (GenQueryInp.Condition cond : q.conditions()) {
            Col c = column(cond.column());
            need(aliases, c.alias);
            where.add(Conditions.toSql(c.expr, cond.condition(), params));
        }
        if (aliases.contains("D") && aliases.contains("C")) {
            where.add("D.coll_id = C.id");
        }
        if (aliases.contains("AD") && aliases.contains("D")) {
            where.add("AD.object_id = D.id");
        }
        if (aliases.contains("U")) {
            if (aliases.contains("AD")) {
                where.add("U.id = AD.user_id");
            } else if (aliases.contains("AC")) {
                where.add("U.id = AC.user_id");
            }
        }
        for (String a : aliases) {
            String j = TABLES.get(a)[2];
            if (!j.isEmpty()) {
                where.add(j);
            }
        }
        if (!user.isAdmin()) {
            String target = aliases.contains("D") ? "D.id" : aliases.contains("C") ? "C.id" : null;
            if (target != null) {
                StringBuilder in = new StringBuilder();
                for (Long p : principals) {
                    in.append(in.length() == 0 ? "" : ",").append(p.longValue());
                }
                where.add("EXISTS (SELECT 1 FROM access XA WHERE XA.object_id = " + target + " AND XA.user_id IN ("
                    + in + ") AND XA.access_type >= " + Access.READ_OBJECT.type + ")");
            }
        }
        StringBuilder sql = new StringBuilder("SELECT ");
        if ((q.options() & GenQueryInp.NO_DISTINCT) == 0) {
            sql.append("DISTINCT ");
        }
        sql.append(String.join(", ", selectExprs).replace("?ZONE", "'" + catalog.zone() + "'"));
        List<String> from = new ArrayList<>();
        for (String a : aliases) {
            from.add(TABLES.get(a)[0]);
        }
        sql.append(" FROM ").append(from.isEmpty() ? "(SELECT 1)" : String.join(", ", from));
        if (!where.isEmpty()) {
            sql.append(" WHERE ").append(String.join(" AND ", where).replace("?ZONE", "'" + catalog.zone() + "'"));
        }
        if (aggregate && !groupBy.isEmpty()) {
            sql.append(" GROUP BY ").append(String.join(", ", groupBy));
        }
        if (!orderBy.isEmpty()) {
            sql.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        String finalSql = sql.toString();
        return catalog.tx(c -> {
            List<List<String>> rows = new ArrayList<>();
            try (PreparedStatement p = c.prepare(finalSql, params.toArray()); ResultSet r = p.executeQuery()) {
                ResultSetMetaData md = r.getMetaData();
                int n = md.getColumnCount();
                while (r.next()) {
                    List<String> row = new ArrayList<>(n);
                    for (int i = 1; i <= n; i++) {
                        Object v = r.getObject(i);
                        row.add(v == null ? "" : v instanceof Double d && d == Math.rint(d)
                            ? Long.toString(d.longValue()) : v.toString());
                    }
                    rows.add(row);
                }
            }
            return new Result(columns, rows);
        });
    }

    private static Col column(int n) throws SandboxError {
        Col c = COLS.get(n);
        if (c == null) {
            throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "unknown GenQuery column " + n);
        }
        return c;
    }

    private static void need(Set<String> aliases, String a) {
        if (a == null || aliases.contains(a)) {
            return;
        }
        String dep = TABLES.get(a)[1];
        if (!dep.isEmpty()) {
            need(aliases, dep);
        }
        aliases.add(a);
    }

    /**
     * The condition-string language of §5.2, read as iRODS 5.0.2 reads it ({@link ConditionSyntax}; its
     * general_query.cpp: generateSQL, compoundConditionSpecified, handleCompoundCondition, insertWhere,
     * checkCondition) and turned into SQL with bind parameters.
     */
    static final class Conditions {
        private static final Pattern CAST = Pattern.compile("^ *n[<>=]");

        static String toSql(String expr, String condition, List<Object> params) throws SandboxError {
            String c = condition;
            String col = expr;
            if (CAST.matcher(c).find()) { // generateSQL: "n<", "n>", "n=" cast the column to a number
                int n = c.indexOf('n');
                c = c.substring(0, n) + " " + c.substring(n + 1);
                col = "CAST(" + expr + " AS REAL)";
            }
            if (!ConditionSyntax.isCompound(c)) {
                return simple(col, c, params);
            }
            if (ConditionSyntax.utf8Length(c) >= 2 * 1088) { // rstrcpy into condPart2[MAX_NAME_LEN * 2] fails
                throw new SandboxError(ErrorCode.USER_STRLEN_TOOLONG, "compound condition too long");
            }
            StringBuilder sql = new StringBuilder("( ");
            for (ConditionSyntax.Part p : ConditionSyntax.split(c)) {
                sql.append(simple(col, p.condition(), params));
                if (p.joiner() != null) {
                    sql.append(p.joiner().equals("||") ? " OR " : " AND ");
                }
            }
            return sql.append(" )").toString();
        }

        /** insertWhere: one condition, its value the text between its first and its last quote. */
        private static String simple(String col, String c, List<Object> params) throws SandboxError {
            String start = c.stripLeading();
            if (startsAtFirst(c, start, "in", "IN")) {
                List<String> v = ConditionSyntax.quotedPairs(c);
                if (v.isEmpty()) {
                    throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "in needs values: " + c);
                }
                params.addAll(v);
                return col + " IN (" + "?,".repeat(v.size() - 1) + "?)";
            }
            if (startsAtFirst(c, start, "between", "BETWEEN")) {
                List<String> v = ConditionSyntax.quotedPairs(c);
                if (v.size() != 2) {
                    throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "between needs two values: " + c);
                }
                params.addAll(v);
                return col + " BETWEEN ? AND ?";
            }
            if (c.equals("IS NULL")) {
                return "(" + col + " IS NULL OR " + col + " = '')";
            }
            if (c.equals("IS NOT NULL")) {
                return "(" + col + " IS NOT NULL AND " + col + " <> '')";
            }
            int q1 = c.indexOf('\'');
            int q2 = c.lastIndexOf('\'');
            if (q1 < 0 || q2 == q1) {
                throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "condition without a quoted value: " + c);
            }
            String op = c.substring(0, q1);
            if (ConditionSyntax.utf8Length(op) > ConditionSyntax.MAX_OPERATOR_BYTES) {
                throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "condition operator too long: " + c);
            }
            String value = c.substring(q1 + 1, q2);
            if (!operatorWords(op)) {
                throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "unknown operator '" + op.trim() + "'");
            }
            String norm = String.join(" ", op.trim().toLowerCase().split(" +"));
            switch (norm) {
                case "=", "<>", "!=", "<", ">", "<=", ">=" -> {
                    params.add(value);
                    return col + " " + (norm.equals("!=") ? "<>" : norm) + " " + bound(col);
                }
                case "like", "not like" -> {
                    params.add(value);
                    return col + (norm.equals("like") ? " LIKE" : " NOT LIKE") + " ? ESCAPE '\\'";
                }
                case "begin_of" -> {
                    params.add(value);
                    params.add(Catalog.likePrefix(value));
                    return "(" + col + " = ? OR " + col + " LIKE ? ESCAPE '\\')";
                }
                case "parent_of" -> {
                    List<String> anc = new ArrayList<>();
                    String p = value;
                    anc.add(p);
                    while (p.lastIndexOf('/') > 0) {
                        p = p.substring(0, p.lastIndexOf('/'));
                        anc.add(p);
                    }
                    anc.add("/");
                    params.addAll(anc);
                    return col + " IN (" + "?,".repeat(anc.size() - 1) + "?)";
                }
                default -> throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "unknown operator '" + norm + "'");
            }
        }

        private static String bound(String col) {
            return col.startsWith("CAST(") ? "CAST(? AS REAL)" : "?";
        }

        /** insertWhere's test: the first "in" (else the first "IN") of the whole string is where it starts. */
        private static boolean startsAtFirst(String c, String start, String lower, String upper) {
            int i = c.indexOf(lower);
            if (i < 0) {
                i = c.indexOf(upper);
            }
            return i >= 0 && i == c.length() - start.length();
        }

        /** checkCondition: once comparison signs and one of each keyword are blanked, nothing may be left. */
        private static boolean operatorWords(String op) {
            StringBuilder t = new StringBuilder(" " + op.replaceAll("[<>=!]", " "));
            for (String k : new String[] {"begin_of", "parent_of", "not", "NOT", "between", "BETWEEN", "like", "LIKE",
                "in", "IN"}) {
                int i = t.indexOf(k);
                if (i >= 0) {
                    t.replace(i, i + k.length(), " ".repeat(k.length()));
                }
            }
            return t.toString().isBlank();
        }
    }
}
