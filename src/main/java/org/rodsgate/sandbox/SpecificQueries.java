package org.rodsgate.sandbox;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.protocol.GenQueryOut;
import org.rodsgate.irods.protocol.XmlNode;

/**
 * SPECIFIC_QUERY (722) with the built-in aliases of iRODS 5.0.2 ({@code specific-queries.tsv}, recorded from a real
 * server). The sandbox has no iCAT tables to run their SQL on, so it answers the ones clients use from its own
 * catalog: {@code ls}, {@code lsl}, {@code findQueryByAlias}, {@code listQueryByAliasLike} (the query list itself),
 * {@code ShowCollAcls} (collection ACLs, as {@code ils -A} and python-irodsclient ask) and {@code listGroupsForUser}.
 * Other built-ins answer SYS_NOT_SUPPORTED; an unknown alias CAT_UNKNOWN_SPECIFIC_QUERY with 5.0.2's message.
 * Results carry {@code attriInx} 0 in every column, as 5.0.2's do. Paging: {@code continueInx} is the index of the
 * next row to send (the sandbox keeps no statement for these).
 */
final class SpecificQueries {
    static final Map<String, String> BUILT_IN = load();

    private SpecificQueries() {}

    private static Map<String, String> load() {
        Map<String, String> m = new LinkedHashMap<>();
        try (InputStream in = SpecificQueries.class.getResourceAsStream("specific-queries.tsv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    int t = line.indexOf('\t');
                    m.put(line.substring(0, t), line.substring(t + 1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static Agent.Reply run(Session s, XmlNode in) throws SandboxError {
        String alias = in.str("sql", "");
        List<String> args = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            String a = in.str("arg" + i, null);
            if (a != null) {
                args.add(a);
            }
        }
        int maxRows = (int) in.num("maxRows");
        int start = Math.max(0, (int) in.num("continueInx"));
        String registered = BUILT_IN.containsKey(alias) ? null : s.catalog().tx(c -> registered(c, alias));
        if (!BUILT_IN.containsKey(alias) && registered == null) {
            throw new SandboxError(ErrorCode.CAT_UNKNOWN_SPECIFIC_QUERY.code,
                "The SQL is not pre-defined.\n  See 'iadmin h asq' (add specific query)", true);
        }
        String first = args.isEmpty() ? null : args.get(0);
        List<List<String>> rows = registered != null ? s.catalog().tx(c -> runSql(c, registered, args)) : switch (alias) {
            case "ls" -> {
                List<List<String>> all = queries(e -> true);
                all.addAll(s.catalog().tx(SpecificQueries::registeredAll));
                yield all;
            }
            case "lsl" -> {
                Pattern p = like(arg(args, 0));
                yield queries(e -> p.matcher(e.getValue()).matches());
            }
            case "findQueryByAlias" -> queries(e -> e.getKey().equals(first));
            case "listQueryByAliasLike" -> {
                Pattern p = like(arg(args, 0));
                yield queries(e -> p.matcher(e.getKey()).matches());
            }
            case "ShowCollAcls" -> {
                String coll = arg(args, 0);
                yield s.catalog().tx(c -> collAcls(c, coll));
            }
            case "listGroupsForUser" -> {
                String user = arg(args, 0);
                yield s.catalog().tx(c -> groups(c, user));
            }
            default -> throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED, "specific query " + alias
                + " is not implemented by the sandbox");
        };
        if (maxRows <= 0) {
            return Agent.Reply.ok(0, GenQueryOut.empty().pack());
        }
        if (start >= rows.size()) {
            throw new SandboxError(ErrorCode.CAT_NO_ROWS_FOUND, null);
        }
        if (rows.isEmpty()) {
            throw new SandboxError(ErrorCode.CAT_NO_ROWS_FOUND, null);
        }
        int end = Math.min(rows.size(), start + maxRows);
        int width = rows.get(0).size();
        return Agent.Reply.ok(0, new GenQueryOut(end < rows.size() ? end : 0, 0, new int[width],
            rows.subList(start, end)).pack());
    }

    private static String arg(List<String> args, int i) throws SandboxError {
        if (i >= args.size()) {
            throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT, "specific query needs argument " + (i + 1));
        }
        return args.get(i);
    }

    private static List<List<String>> queries(java.util.function.Predicate<Map.Entry<String, String>> p) {
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, String> e : BUILT_IN.entrySet()) {
            if (p.test(e)) {
                rows.add(List.of(e.getKey(), e.getValue()));
            }
        }
        return rows;
    }

    /** An SQL LIKE pattern ({@code %}, {@code _}) as a regular expression. */
    private static Pattern like(String pattern) {
        StringBuilder b = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            b.append(ch == '%' ? ".*" : ch == '_' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(b.toString(), Pattern.DOTALL);
    }

    private static String registered(Catalog c, String alias) throws java.sql.SQLException {
        try (PreparedStatement p = c.prepare("SELECT sql FROM specific_queries WHERE alias = ?", alias);
             ResultSet r = p.executeQuery()) {
            return r.next() ? r.getString(1) : null;
        }
    }

    private static List<List<String>> registeredAll(Catalog c) throws java.sql.SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepare("SELECT alias, sql FROM specific_queries ORDER BY alias");
             ResultSet r = p.executeQuery()) {
            while (r.next()) {
                rows.add(List.of(r.getString(1), r.getString(2)));
            }
        }
        return rows;
    }

    /**
     * A query a rodsadmin registered, run on the catalog's iCAT-named views (R_DATA_MAIN, R_COLL_MAIN, ...) with
     * the arguments bound in order. SQL the sandbox's database cannot run answers CAT_SQL_ERR.
     */
    private static List<List<String>> runSql(Catalog c, String sql, List<String> args) throws SandboxError {
        if (sql.toLowerCase(java.util.Locale.ROOT).contains("password")) {
            throw new SandboxError(ErrorCode.CAT_SQL_ERR.code, "the sandbox's specific queries do not read passwords");
        }
        List<List<String>> rows = new ArrayList<>();
        try (java.sql.Statement guard = c.jdbc().createStatement()) {
            guard.execute("PRAGMA query_only = ON"); // a registered query reads; it never changes the catalog
            try {
                read(c, sql, args, rows);
            } finally {
                guard.execute("PRAGMA query_only = OFF");
            }
        } catch (java.sql.SQLException e) {
            throw new SandboxError(ErrorCode.CAT_SQL_ERR.code, "specific query: " + e.getMessage());
        }
        return rows;
    }

    private static void read(Catalog c, String sql, List<String> args, List<List<String>> rows)
        throws java.sql.SQLException {
        try (PreparedStatement p = c.prepare(sql, args.toArray()); ResultSet r = p.executeQuery()) {
            int n = r.getMetaData().getColumnCount();
            while (r.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    String v = r.getString(i);
                    row.add(v == null ? "" : v);
                }
                rows.add(row);
            }
        }
    }

    /** GENERAL_ADMIN (701) {@code add specificQuery SQL ALIAS} and {@code rm specificQuery ALIAS|SQL}, rodsadmin only. */
    static Agent.Reply admin(Session s, XmlNode in) throws SandboxError {
        String verb = in.str("arg0", "");
        String what = in.str("arg1", "");
        if (!what.equals("specificQuery") || !(verb.equals("add") || verb.equals("rm"))) {
            throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED, "GENERAL_ADMIN " + verb + " " + what
                + " is not implemented by the sandbox");
        }
        if (!s.user.isAdmin()) {
            throw new SandboxError(ErrorCode.CAT_INSUFFICIENT_PRIVILEGE_LEVEL, "specific queries need a rodsadmin");
        }
        String sql = in.str("arg2", "");
        String alias = in.str("arg3", "");
        s.catalog().tx(c -> {
            if (verb.equals("add")) {
                if (BUILT_IN.containsKey(alias) || registered(c, alias) != null) {
                    throw new SandboxError(ErrorCode.CAT_INVALID_ARGUMENT.code, "Alias is not unique", true);
                }
                c.update("INSERT INTO specific_queries(alias, sql) VALUES (?, ?)", alias, sql);
            } else if (c.update("DELETE FROM specific_queries WHERE alias = ? OR sql = ?", sql, sql) == 0) {
                throw new SandboxError(ErrorCode.CAT_UNKNOWN_SPECIFIC_QUERY, null);
            }
            return null;
        });
        return Agent.Reply.ok(0);
    }

    /** ShowCollAcls: user name, zone, access name, user type of every ACL entry of a collection. */
    private static List<List<String>> collAcls(Catalog c, String coll) throws java.sql.SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepare("SELECT u.name, u.zone, a.access_type, u.type FROM access a"
            + " JOIN users u ON u.id = a.user_id JOIN colls co ON co.id = a.object_id WHERE co.name = ?"
            + " ORDER BY u.name", coll); ResultSet r = p.executeQuery()) {
            while (r.next()) {
                rows.add(List.of(r.getString(1), r.getString(2), Access.nameOf(r.getInt(3)), r.getString(4)));
            }
        }
        return rows;
    }

    /** listGroupsForUser: group id and name of every group the user belongs to. */
    private static List<List<String>> groups(Catalog c, String user) throws java.sql.SQLException {
        List<List<String>> rows = new ArrayList<>();
        try (PreparedStatement p = c.prepare("SELECT g.id, g.name FROM group_members m JOIN users g ON g.id ="
            + " m.group_id JOIN users u ON u.id = m.user_id WHERE u.name = ? AND g.type = 'rodsgroup'"
            + " AND u.type <> 'rodsgroup' ORDER BY g.id", user); ResultSet r = p.executeQuery()) {
            while (r.next()) {
                rows.add(List.of(r.getString(1), r.getString(2)));
            }
        }
        return rows;
    }
}
