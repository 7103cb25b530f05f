package org.rodsgate.irods.query;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rodsgate.irods.protocol.GenQueryInp;

/**
 * Builds a GenQuery with every value quoted safely (§5.2). A condition is {@code <op> '<value>'}; the server takes
 * the value as everything between the first and the last quote and binds it as an SQL parameter, so a quote inside
 * a value needs no escaping (and a doubled quote is not an escape) — unless the quote is followed by {@code ||} or
 * {@code &&}, which the server would read as a second condition ({@link ConditionSyntax}). Such values, and values
 * of {@code in} and {@code between} holding any quote, are refused ({@link IllegalArgumentException}) rather than
 * sent as a pattern: callers test {@link #isLiteral} and look the entry up another way (by id, or by listing its
 * parent). Operators come from a fixed list.
 */
public final class GenQuery {
    public enum Op {
        EQ("="), NE("<>"), LT("<"), GT(">"), LE("<="), GE(">="), LIKE("like"), NOT_LIKE("not like"),
        NUM_LT("n<"), NUM_GT("n>"), NUM_EQ("n="), NUM_LE("n<="), NUM_GE("n>=");

        final String text;

        Op(String text) {
            this.text = text;
        }
    }

    private final List<int[]> selects = new ArrayList<>();
    private final List<GenQueryInp.Condition> conditions = new ArrayList<>();
    private int options;

    public static GenQuery select(Column... cols) {
        GenQuery q = new GenQuery();
        for (Column c : cols) {
            q.selects.add(new int[] {c.number, 1});
        }
        return q;
    }

    public GenQuery orderBy(Column c) {
        return setIvalue(c, GenQueryInp.ORDER_BY);
    }

    public GenQuery orderByDesc(Column c) {
        return setIvalue(c, GenQueryInp.ORDER_BY_DESC);
    }

    private GenQuery setIvalue(Column c, int v) {
        for (int[] s : selects) {
            if (s[0] == c.number) {
                s[1] = v;
                return this;
            }
        }
        selects.add(new int[] {c.number, v});
        return this;
    }

    public GenQuery where(Column c, Op op, String value) {
        conditions.add(new GenQueryInp.Condition(c.number, op.text + " " + quote(value)));
        return this;
    }

    public GenQuery whereEq(Column c, String value) {
        return where(c, Op.EQ, value);
    }

    /** The collection itself or anything below it: {@code = 'c' || like 'c/%'} (wildcards in c escaped). */
    public GenQuery whereCollectionTree(Column c, String coll) {
        quoteStrict(coll);
        String like = coll.equals("/") ? "/%" : likeLiteral(coll) + "/%";
        conditions.add(new GenQueryInp.Condition(c.number, "= " + quote(coll) + " || like " + quote(like)));
        return this;
    }

    public GenQuery whereIn(Column c, List<String> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("'in' needs at least one value");
        }
        StringBuilder b = new StringBuilder("in (");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ",").append(quoteStrict(values.get(i)));
        }
        conditions.add(new GenQueryInp.Condition(c.number, b.append(')').toString()));
        return this;
    }

    public GenQuery whereBetween(Column c, String lo, String hi) {
        conditions.add(new GenQueryInp.Condition(c.number, "between " + quoteStrict(lo) + " " + quoteStrict(hi)));
        return this;
    }

    public GenQuery options(int o) {
        this.options = o;
        return this;
    }

    /**
     * A single quoted value; any character but NUL may appear in it, quotes included, as long as the server reads
     * it back as this one value ({@link #isLiteral}).
     */
    public static String quote(String v) {
        if (v == null) {
            throw new IllegalArgumentException("null GenQuery value");
        }
        if (v.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("GenQuery value contains a NUL byte");
        }
        if (!ConditionSyntax.isLiteral(v)) {
            throw new IllegalArgumentException("iRODS would read a quote followed by || or && as a second condition,"
                + " so this value cannot be sent in a GenQuery condition: " + v);
        }
        return "'" + v + "'";
    }

    /** Whether {@code v} can be sent as one GenQuery value that the server matches literally with {@code =}. */
    public static boolean isLiteral(String v) {
        return ConditionSyntax.isLiteral(v);
    }

    /** A value inside a list of quoted values, where an embedded quote would be ambiguous. */
    static String quoteStrict(String v) {
        if (v != null && v.indexOf('\'') >= 0) {
            throw new IllegalArgumentException("a value containing a quote cannot be used with in/between: " + v);
        }
        return quote(v);
    }

    /** Escapes SQL wildcards so that {@code like} matches {@code literal} as written (for prefix searches). */
    public static String likeLiteral(String literal) {
        return literal.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Time literal as the catalog stores it: 11-digit zero-padded epoch seconds (§5.2). */
    public static String timeLiteral(long epochSeconds) {
        return String.format("%011d", epochSeconds);
    }

    public GenQueryInp toInput(int maxRows, Map<String, String> condInput) {
        return new GenQueryInp(maxRows, 0, 0, options, condInput, List.copyOf(selects), List.copyOf(conditions));
    }

    public int columnCount() {
        return selects.size();
    }
}
