package org.rodsgate.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.ErrorCode;

/** The sandbox reads condition strings as iRODS 5.0.2's general_query.cpp does (SQL and bound values). */
class QueryConditionsTest {
    private static String sql(String condition, List<Object> params) throws SandboxError {
        return QueryEngine.Conditions.toSql("C.name", condition, params);
    }

    @Test
    void aValueIsTheTextBetweenTheFirstAndTheLastQuote() throws SandboxError {
        List<Object> p = new ArrayList<>();
        assertEquals("C.name = ?", sql("= 'it's and this.txt'", p));
        assertEquals("C.name = ?", sql("= 'it''s'", p));
        assertEquals("C.name LIKE ? ESCAPE '\\'", sql("like 'it's and%'", p));
        assertEquals("C.name = ?", sql("= 'a'b' || 'c'", p)); // || between the server's quote pairs: one value
        assertEquals(List.of("it's and this.txt", "it''s", "it's and%", "a'b' || 'c"), p);
    }

    @Test
    void orAndAndOutsideTheQuotePairingSplitTheCondition() throws SandboxError {
        List<Object> p = new ArrayList<>();
        assertEquals("( C.name = ? OR C.name LIKE ? ESCAPE '\\' )", sql("= 'x' || like '%'", p));
        assertEquals(List.of("x", "%"), p);
        p.clear();
        assertEquals("( C.name >= ? AND C.name <= ? )", sql(">= 'a' && <= 'b'", p));
        assertEquals(List.of("a", "b"), p);
    }

    @Test
    void malformedPartsAreRefusedAsIrodsRefusesThem() {
        // "= 'it's || fun'" is cut after "it's": the rest has a single quote (CAT_INVALID_ARGUMENT on iRODS too)
        SandboxError e = assertThrows(SandboxError.class, () -> sql("= 'it's || fun'", new ArrayList<>()));
        assertEquals(ErrorCode.CAT_INVALID_ARGUMENT.code, e.code);
        assertThrows(SandboxError.class, () -> sql("= x", new ArrayList<>()));
        assertThrows(SandboxError.class, () -> sql("equals more '1'", new ArrayList<>())); // operator too long
        assertThrows(SandboxError.class, () -> sql("drop '1'", new ArrayList<>()));
    }

    @Test
    void inBetweenAndNumericCasts() throws SandboxError {
        List<Object> p = new ArrayList<>();
        assertEquals("C.name IN (?,?)", sql("in ('a','b')", p));
        assertEquals("C.name BETWEEN ? AND ?", sql("between '1' '9'", p));
        assertEquals("CAST(C.name AS REAL) > CAST(? AS REAL)", sql("n> '5'", p));
        assertEquals(List.of("a", "b", "1", "9", "5"), p);
    }
}
