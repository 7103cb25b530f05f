package org.rodsgate.irods.protocol;

/**
 * Escaping rules of the iRODS XML protocol (irods-protocol.md §1.5).
 *
 * <p>Encoding escapes {@code & < > "} as named entities, and {@code '} too when {@code escapeApos} is set
 * (the sandbox server does, as iRODS does for peers from 4.2.9 on). Control characters are left raw, as iRODS leaves
 * them (strToXmlStr): names are byte strings, and XML 1.0 has no way to carry them, not even as character
 * references; a strict XML reader (python-irodsclient's ElementTree) cannot read such names from any server.
 * Decoding recognises only the
 * five named entities; like the iRODS server, on any other {@code &...} it stops decoding and copies the rest
 * verbatim. Numeric references are never produced.
 */
public final class Xml {
    private Xml() {}

    public static String escape(String s, boolean escapeApos) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> escapeApos ? "&apos;" : null;
                default -> null;
            };
            if (rep != null) {
                if (b == null) {
                    b = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                b.append(rep);
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? s : b.toString();
    }

    /** Decodes the five named entities. {@code aposIsBacktick} reproduces servers at or below 4.2.8. */
    public static String unescape(String s, boolean aposIsBacktick) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length()).append(s, 0, amp);
        int i = amp;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c != '&') {
                b.append(c);
                i++;
                continue;
            }
            if (s.startsWith("&amp;", i)) { b.append('&'); i += 5; }
            else if (s.startsWith("&lt;", i)) { b.append('<'); i += 4; }
            else if (s.startsWith("&gt;", i)) { b.append('>'); i += 4; }
            else if (s.startsWith("&quot;", i)) { b.append('"'); i += 6; }
            else if (s.startsWith("&apos;", i)) { b.append(aposIsBacktick ? '`' : '\''); i += 6; }
            else {
                b.append(s, i, s.length()); // the server's rule: copy the rest verbatim
                break;
            }
        }
        return b.toString();
    }
}
