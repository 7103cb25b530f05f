package org.rodsgate.irods.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** general_query.cpp's reading of a condition string (iRODS 4.2 to 5.0.2). */
class ConditionSyntaxTest {
    @Test
    void compoundOnlyOutsideTheServersQuotePairing() {
        assertTrue(ConditionSyntax.isCompound("= 'a' || = 'b'"));
        assertTrue(ConditionSyntax.isCompound(">= '1' && <= '9'"));
        assertTrue(ConditionSyntax.isCompound("= 'x' || like '%'"));
        assertFalse(ConditionSyntax.isCompound("= 'a || b'"));
        assertFalse(ConditionSyntax.isCompound("= 'a'b' || 'c'"));
        assertTrue(ConditionSyntax.isCompound("= 'it's || fun'"));
    }

    @Test
    void theServerLooksForOperatorsInTheFirst2175BytesOnly() {
        String pad = "é".repeat(1100); // 2200 bytes
        assertFalse(ConditionSyntax.isCompound("= '" + pad + "x' || like '%'"));
        assertFalse(ConditionSyntax.isLiteral(pad + "x' || like '%"), "the client is stricter than the server");
    }

    @Test
    void splitsAsHandleCompoundConditionDoes() {
        assertEquals(List.of(new ConditionSyntax.Part("= 'x' ", "||"), new ConditionSyntax.Part(" like '%'", null)),
            ConditionSyntax.split("= 'x' || like '%'"));
        assertEquals(List.of(new ConditionSyntax.Part("= 'a&&b' ", "&&"), new ConditionSyntax.Part(" <> 'c'", null)),
            ConditionSyntax.split("= 'a&&b' && <> 'c'"));
        assertEquals(List.of("a", "b,c"), ConditionSyntax.quotedPairs("in ('a','b,c')"));
    }
}
