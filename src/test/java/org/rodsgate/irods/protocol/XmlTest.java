package org.rodsgate.irods.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class XmlTest {
    @Test
    void clientEscapesMarkupButSendsApostropheRaw() {
        assertEquals("a&amp;b&lt;c&gt;d&quot;e'f`g", Xml.escape("a&b<c>d\"e'f`g", false));
    }

    @Test
    void serverEscapesApostropheAndLeavesControlCharactersRawAsIrodsDoes() {
        assertEquals("it&apos;s\u0001\tx", Xml.escape("it's\u0001\tx", true));
        assertEquals("\u0001ctl", XmlNode.parse("<a>\u0001ctl</a>").text());
    }

    @Test
    void decodesTheFiveEntitiesOnly() {
        assertEquals("& < > \" '", Xml.unescape("&amp; &lt; &gt; &quot; &apos;", false));
        assertEquals("`", Xml.unescape("&apos;", true));
        // like the server: an unknown entity stops decoding, the rest is copied verbatim
        assertEquals("a&#39;b&amp;c", Xml.unescape("a&#39;b&amp;c", false));
    }

    @Test
    void roundTripsOddValuesThroughWriterAndParser() {
        String[] values = {"it's & <x> \"q\"", "ünïcödé 文字 🙂", "  spaces  ", "", "a\nb\tc", "&amp;literal"};
        for (String v : values) {
            for (boolean server : new boolean[] {false, true}) {
                byte[] xml = PackWriter.of("T_PI", server).str("v", v).bytes();
                assertEquals(v, XmlNode.parse(xml).str("v"), "value " + v + " server=" + server);
            }
        }
    }

    @Test
    void keyValuePairsKeepOrderAndEmptyValues() {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("forceFlag", "");
        kv.put("destRescName", "demo<Resc>");
        byte[] xml = PackWriter.client("X_PI").kvp(kv).bytes();
        assertEquals(kv, XmlNode.parse(xml).kvp());
    }

    @Test
    void parsesCompactAndFormattedXmlAndIgnoresUnknownElements() {
        XmlNode a = XmlNode.parse("<A_PI><x>1</x><extra><y>2</y></extra><z>q</z></A_PI>");
        XmlNode b = XmlNode.parse("<A_PI>\n<x>1</x>\n<z>q</z>\n</A_PI>\n");
        assertEquals(1, a.num("x"));
        assertEquals("q", a.str("z"));
        assertEquals(a.str("z"), b.str("z"));
        assertEquals(0, a.num("missing"), "a missing int is 0, as the server reads it");
    }

    @Test
    void malformedXmlIsAProtocolError() {
        assertThrows(ProtocolException.class, () -> XmlNode.parse("<A_PI><x>1</x>"));
        assertThrows(ProtocolException.class, () -> XmlNode.parse("no xml here"));
        assertThrows(ProtocolException.class, () -> XmlNode.parse("<A_PI><n>abc</n></A_PI>").num("n"));
    }
}
