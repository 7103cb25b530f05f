package org.rodsgate.fs;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.rodsgate.irods.Avu;

/**
 * Extended attribute values as AVU values. A value that is non-empty UTF-8 text is stored as it is, without
 * units, so that iCommands and other clients see the text. Any other value — empty (as {@code setfattr -n NAME}
 * sets), or bytes that are not UTF-8 — cannot be an AVU value as such (iRODS refuses empty values and carries
 * text): it is stored as {@code b64:<base64>} with the units {@value #BASE64_UNITS}, and read back as the bytes.
 * Units mark the encoding, so a text value that happens to start with {@code b64:} stays text.
 */
final class XattrValues {
    static final String BASE64_UNITS = "rodsgate:base64";
    private static final String PREFIX = "b64:";

    private XattrValues() {}

    /** The AVU holding {@code value} as attribute {@code attribute}. */
    static Avu encode(String attribute, byte[] value) {
        String text = utf8(value);
        if (text != null && !text.isEmpty()) {
            return new Avu(attribute, text, "");
        }
        return new Avu(attribute, PREFIX + Base64.getEncoder().encodeToString(value), BASE64_UNITS);
    }

    /** The bytes of one AVU's value. */
    static byte[] decode(Avu a) {
        if (a.units().equals(BASE64_UNITS) && a.value().startsWith(PREFIX)) {
            try {
                return Base64.getDecoder().decode(a.value().substring(PREFIX.length()));
            } catch (IllegalArgumentException e) {
                // not written by rodsgate: shown as the text it is
            }
        }
        return a.value().getBytes(StandardCharsets.UTF_8);
    }

    /** Several values of one attribute, joined by newlines (one value: its bytes exactly). */
    static byte[] join(List<Avu> values) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write('\n');
            }
            out.writeBytes(decode(values.get(i)));
        }
        return out.toByteArray();
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
