package org.rodsgate.irods.protocol;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tolerant reading of the iRODS XML packing: a sequential tag scanner, not an XML parser (§1.5). It accepts
 * compact and newline-formatted XML, raw control characters and raw quotes in values, and unknown elements.
 * A leaf's text is everything up to its matching end tag; an element whose content starts with a start tag is a
 * struct.
 */
public final class XmlNode {
    private final String name;
    private final String text;          // raw (still escaped) text of a leaf, or null for a struct
    private final List<XmlNode> children;

    private XmlNode(String name, String text, List<XmlNode> children) {
        this.name = name;
        this.text = text;
        this.children = children;
    }

    public String name() {
        return name;
    }

    public static XmlNode parse(byte[] xml) {
        return parse(new String(xml, StandardCharsets.UTF_8));
    }

    public static XmlNode parse(String s) {
        int[] pos = {0};
        XmlNode n = element(s, pos);
        if (n == null) {
            throw new ProtocolException("no XML element in message: " + abbreviate(s));
        }
        return n;
    }

    private static XmlNode element(String s, int[] pos) {
        int lt = s.indexOf('<', pos[0]);
        while (lt >= 0 && lt + 1 < s.length() && (s.charAt(lt + 1) == '?' || s.charAt(lt + 1) == '!')) {
            lt = s.indexOf('<', s.indexOf('>', lt) + 1);
        }
        if (lt < 0) {
            return null;
        }
        int gt = s.indexOf('>', lt);
        if (gt < 0) {
            throw new ProtocolException("unterminated tag in message: " + abbreviate(s));
        }
        String tag = s.substring(lt + 1, gt);
        if (tag.startsWith("/")) {
            return null;
        }
        boolean selfClosing = tag.endsWith("/");
        String name = selfClosing ? tag.substring(0, tag.length() - 1).trim() : tag.trim();
        int sp = name.indexOf(' ');
        if (sp > 0) {
            name = name.substring(0, sp);
        }
        if (selfClosing) {
            pos[0] = gt + 1;
            return new XmlNode(name, "", List.of());
        }
        String end = "</" + name + ">";
        int contentStart = gt + 1;
        int k = contentStart;
        while (k < s.length() && Character.isWhitespace(s.charAt(k))) {
            k++;
        }
        boolean struct = k < s.length() - 1 && s.charAt(k) == '<' && s.charAt(k + 1) != '/';
        if (!struct) {
            int e = s.indexOf(end, contentStart);
            if (e < 0) {
                throw new ProtocolException("missing " + end + " in message: " + abbreviate(s));
            }
            pos[0] = e + end.length();
            return new XmlNode(name, s.substring(contentStart, e), List.of());
        }
        List<XmlNode> kids = new ArrayList<>();
        pos[0] = contentStart;
        while (true) {
            int next = s.indexOf('<', pos[0]);
            if (next < 0) {
                throw new ProtocolException("missing " + end + " in message: " + abbreviate(s));
            }
            if (s.startsWith(end, next)) {
                pos[0] = next + end.length();
                break;
            }
            if (s.startsWith("</", next)) {
                // a stray end tag of something else: skip it
                pos[0] = s.indexOf('>', next) + 1;
                continue;
            }
            pos[0] = next;
            XmlNode child = element(s, pos);
            if (child == null) {
                throw new ProtocolException("malformed XML in message: " + abbreviate(s));
            }
            kids.add(child);
        }
        return new XmlNode(name, null, Collections.unmodifiableList(kids));
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    public boolean isLeaf() {
        return text != null;
    }

    public List<XmlNode> children() {
        return children;
    }

    public XmlNode child(String n) {
        for (XmlNode c : children) {
            if (c.name.equals(n)) {
                return c;
            }
        }
        return null;
    }

    public List<XmlNode> all(String n) {
        List<XmlNode> r = new ArrayList<>();
        for (XmlNode c : children) {
            if (c.name.equals(n)) {
                r.add(c);
            }
        }
        return r;
    }

    /** The decoded text of this leaf ("" for a struct). */
    public String text() {
        return text == null ? "" : Xml.unescape(text, false);
    }

    public String str(String n) {
        XmlNode c = child(n);
        return c == null ? null : c.text();
    }

    public String str(String n, String dflt) {
        String v = str(n);
        return v == null ? dflt : v;
    }

    public List<String> strs(String n) {
        List<String> r = new ArrayList<>();
        for (XmlNode c : children) {
            if (c.name.equals(n)) {
                r.add(c.text());
            }
        }
        return r;
    }

    /** An integer field; a missing one is 0, as the server treats it (§1.5). */
    public long num(String n) {
        String v = str(n);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ProtocolException("field <" + n + "> is not an integer: " + v);
        }
    }

    public int int32(String n) {
        return (int) num(n);
    }

    public byte[] bin(String n) {
        String v = str(n);
        return v == null ? null : Base64.getMimeDecoder().decode(v.trim());
    }

    /** Reads a KeyValPair_PI child (or an empty map when absent). */
    public Map<String, String> kvp() {
        XmlNode k = child("KeyValPair_PI");
        Map<String, String> m = new LinkedHashMap<>();
        if (k == null) {
            return m;
        }
        List<String> keys = k.strs("keyWord");
        List<String> vals = k.strs("svalue");
        for (int i = 0; i < keys.size(); i++) {
            m.put(keys.get(i), i < vals.size() ? vals.get(i) : "");
        }
        return m;
    }

    @Override
    public String toString() {
        return isLeaf() ? "<" + name + ">" + text : "<" + name + ">" + children;
    }
}
