package org.rodsgate.irods.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Writes one packing instruction as XML, fields in the order they are added (which must be the PI order, §1.5).
 * Output layout is the server's: {@code <X_PI>\n<field>value</field>\n...</X_PI>\n}.
 */
public final class PackWriter {
    private final StringBuilder out = new StringBuilder(256);
    private final boolean escapeApos;

    private PackWriter(String root, boolean escapeApos) {
        this.escapeApos = escapeApos;
        out.append('<').append(root).append(">\n");
        stack = new java.util.ArrayDeque<>();
        stack.push(root);
    }

    private final java.util.Deque<String> stack;

    /** Writer used by the client: {@code '} is sent raw, which every server version reads the same way. */
    public static PackWriter client(String root) {
        return new PackWriter(root, false);
    }

    /** Writer used by the sandbox server: fully escaped, well-formed XML 1.0. */
    public static PackWriter server(String root) {
        return new PackWriter(root, true);
    }

    public static PackWriter of(String root, boolean server) {
        return new PackWriter(root, server);
    }

    public PackWriter str(String name, String value) {
        out.append('<').append(name).append('>');
        if (value != null) {
            out.append(Xml.escape(value, escapeApos));
        }
        out.append("</").append(name).append(">\n");
        return this;
    }

    /** A pointer string: left out entirely when null. */
    public PackWriter optStr(String name, String value) {
        return value == null ? this : str(name, value);
    }

    public PackWriter i(String name, long value) {
        out.append('<').append(name).append('>').append(value).append("</").append(name).append(">\n");
        return this;
    }

    public PackWriter bin(String name, byte[] value) {
        if (value == null) {
            return this;
        }
        out.append('<').append(name).append('>').append(Base64.getEncoder().encodeToString(value))
            .append("</").append(name).append(">\n");
        return this;
    }

    public PackWriter open(String struct) {
        out.append('<').append(struct).append(">\n");
        stack.push(struct);
        return this;
    }

    public PackWriter close() {
        out.append("</").append(stack.pop()).append(">\n");
        return this;
    }

    /** KeyValPair_PI: all keywords first, then all values (§4.2). */
    public PackWriter kvp(Map<String, String> kv) {
        open("KeyValPair_PI").i("ssLen", kv == null ? 0 : kv.size());
        if (kv != null && !kv.isEmpty()) {
            for (String k : kv.keySet()) {
                str("keyWord", k);
            }
            for (String v : kv.values()) {
                str("svalue", v == null ? "" : v);
            }
        }
        return close();
    }

    public byte[] bytes() {
        while (!stack.isEmpty()) {
            close();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
