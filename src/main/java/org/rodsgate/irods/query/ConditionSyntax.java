package org.rodsgate.irods.query;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How an iRODS server (4.2 to 5.0) reads one GenQuery condition string, so that the client can tell which values it
 * can send and the sandbox can parse them the same way. Source: {@code plugins/database/src/general_query.cpp} of
 * irods/irods (compoundConditionSpecified, handleCompoundCondition with mask_query_arguments, insertWhere,
 * checkCondition, addInClauseToWhereForIn, addBetweenClauseToWhere), unchanged in these respects from 4.2 to 5.0.2;
 * the golden frames of 5.0.2 ({@code genquery_quote_*}) confirm the quote rules.
 *
 * <ul>
 *   <li>A condition is <em>compound</em> when {@code ||} or {@code &&} occurs outside quotes, where every quote
 *       toggles "inside"; only the first {@value #SCAN_BYTES} bytes are examined (a buffer of 2 × MAX_NAME_LEN).
 *       A compound condition is cut at each such operator, and each part is read as a simple condition.</li>
 *   <li>A simple condition binds the text between its <em>first and last</em> quote as one SQL value: a quote
 *       inside needs no escape, and a doubled quote stays doubled. The text before the first quote (at most
 *       10 bytes) is the operator.</li>
 *   <li>Conditions starting with {@code in} or {@code between} take every quoted pair as a value.</li>
 * </ul>
 * So a value {@code v} sent as {@code = 'v'} is matched literally unless {@code v} holds a quote followed, outside
 * the server's quote pairing, by {@code ||} or {@code &&} (e.g. {@code x' || like '%}): {@link #isLiteral}.
 */
public final class ConditionSyntax {
    /** Bytes the server examines for {@code ||}/{@code &&}: {@code char myCondition[MAX_NAME_LEN * 2]} less the NUL. */
    public static final int SCAN_BYTES = 2 * 1088 - 1;
    /** Longest text before the first quote that the server accepts (insertWhere's "basic legality check"). */
    public static final int MAX_OPERATOR_BYTES = 10;

    private ConditionSyntax() {}

    /**
     * Whether {@code = 'value'} is bound by every iRODS server from 4.2 to 5.0 as exactly {@code value}. Decided on
     * the whole value (stricter than the server, which looks at the first {@value #SCAN_BYTES} bytes only).
     */
    public static boolean isLiteral(String value) {
        return value.indexOf('\0') < 0 && !operatorOutsideQuotes("= '" + value + "'");
    }

    /** Whether the server treats {@code condition} as compound (compoundConditionSpecified). */
    public static boolean isCompound(String condition) {
        if (!condition.contains("||") && !condition.contains("&&")) {
            return false;
        }
        return operatorOutsideQuotes(prefixBytes(condition, SCAN_BYTES));
    }

    private static boolean operatorOutsideQuotes(String c) {
        StringBuilder outside = new StringBuilder(c.length());
        boolean quoted = false;
        for (int i = 0; i < c.length(); i++) {
            char ch = c.charAt(i);
            if (ch == '\'') {
                quoted = !quoted;
                outside.append(' ');
            } else {
                outside.append(quoted ? ' ' : ch);
            }
        }
        String s = outside.toString();
        return s.contains("||") || s.contains("&&");
    }

    /** One part of a compound condition and the operator joining it to the next part (null for the last). */
    public record Part(String condition, String joiner) {}

    /**
     * Cuts a compound condition as handleCompoundCondition does: mask the quote pairs of what is left, cut at the
     * first {@code ||} or {@code &&}, repeat. Parts are not trimmed.
     */
    public static List<Part> split(String condition) {
        List<Part> parts = new ArrayList<>();
        String rest = condition;
        while (true) {
            String masked = maskQuotePairs(rest);
            int or = masked.indexOf("||");
            int and = masked.indexOf("&&");
            int cut = or < 0 ? and : and < 0 ? or : Math.min(or, and);
            if (cut < 0) {
                parts.add(new Part(rest, null));
                return parts;
            }
            parts.add(new Part(rest.substring(0, cut), cut == or ? "||" : "&&"));
            rest = rest.substring(cut + 2);
        }
    }

    /** mask_query_arguments: blanks the text inside each pair of quotes, the quotes themselves kept. */
    static String maskQuotePairs(String c) {
        char[] a = c.toCharArray();
        int from = 0;
        while (true) {
            int b = c.indexOf('\'', from);
            if (b < 0) {
                break;
            }
            int e = c.indexOf('\'', b + 1);
            if (e < 0) {
                break;
            }
            for (int i = b + 1; i < e; i++) {
                a[i] = ' ';
            }
            from = e + 1;
        }
        return new String(a);
    }

    /** The values of an {@code in (...)} or {@code between} condition: the text of each pair of quotes. */
    public static List<String> quotedPairs(String c) {
        List<String> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int b = c.indexOf('\'', from);
            if (b < 0) {
                return out;
            }
            int e = c.indexOf('\'', b + 1);
            if (e < 0) {
                return out;
            }
            out.add(c.substring(b + 1, e));
            from = e + 1;
        }
    }

    /** The first {@code max} bytes of {@code s} in UTF-8 (whole characters only). */
    static String prefixBytes(String s, int max) {
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + n > max) {
                return s.substring(0, i);
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return s;
    }

    /** UTF-8 length of {@code s}. */
    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
