package org.rodsgate.irods.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.protocol.GenQueryInp;
import org.rodsgate.irods.protocol.XmlNode;

class GenQueryTest {
    @Test
    void quotesEveryValueAndKeepsEmbeddedQuotes() {
        GenQueryInp in = GenQuery.select(Column.DATA_NAME).whereEq(Column.COLL_NAME, "/z/home/o'brien")
            .where(Column.DATA_NAME, GenQuery.Op.EQ, "a'b' || 'c").toInput(500, java.util.Map.of());
        assertEquals("= '/z/home/o'brien'", in.conditions().get(0).condition());
        // inside the server's quote pairs, || is part of the value: it goes as it is
        assertEquals("= 'a'b' || 'c'", in.conditions().get(1).condition());
    }

    @Test
    void neverSendsANameThatTheServerWouldReadAsTwoConditions() {
        // iRODS cuts "= 'x' || like '%'" into two conditions: the name would become a wildcard
        for (String v : List.of("x' || like '%", "a' && <> 'b", "it's || fun", "'||'")) {
            assertFalse(GenQuery.isLiteral(v), v);
            assertThrows(IllegalArgumentException.class,
                () -> GenQuery.select(Column.DATA_NAME).whereEq(Column.COLL_NAME, v));
            assertThrows(IllegalArgumentException.class,
                () -> GenQuery.select(Column.DATA_NAME).where(Column.DATA_NAME, GenQuery.Op.LIKE, v));
        }
        for (String v : List.of("a || b", "a && b", "%", "_", "\\", "it's", "it''s", "a'b'c || d", "x' |'| y")) {
            assertTrue(GenQuery.isLiteral(v), v);
        }
    }

    @Test
    void refusesValuesThatCannotBeQuotedUnambiguously() {
        assertThrows(IllegalArgumentException.class,
            () -> GenQuery.select(Column.DATA_NAME).whereIn(Column.DATA_NAME, List.of("a", "b'c")));
        assertThrows(IllegalArgumentException.class,
            () -> GenQuery.select(Column.DATA_NAME).whereEq(Column.DATA_NAME, "nul\0byte"));
        assertThrows(IllegalArgumentException.class,
            () -> GenQuery.select(Column.DATA_NAME).whereBetween(Column.D_DATA_ID, "1", "2'"));
    }

    @Test
    void buildsTheWireFormatInPiOrder() {
        GenQueryInp in = GenQuery.select(Column.D_DATA_ID, Column.DATA_NAME).orderByDesc(Column.DATA_NAME)
            .whereIn(Column.D_DATA_ID, List.of("1", "2")).toInput(7, java.util.Map.of());
        GenQueryInp back = GenQueryInp.parse(XmlNode.parse(in.pack()));
        assertEquals(7, back.maxRows());
        assertEquals(401, back.selects().get(0)[0]);
        assertEquals(GenQueryInp.ORDER_BY_DESC, back.selects().get(1)[1]);
        assertEquals("in ('1','2')", back.conditions().get(0).condition());
    }

    @Test
    void escapesLikeWildcardsAndPadsTimes() {
        assertEquals("a\\%b\\_c\\\\", GenQuery.likeLiteral("a%b_c\\"));
        assertEquals("01700000000", GenQuery.timeLiteral(1700000000));
    }
}
