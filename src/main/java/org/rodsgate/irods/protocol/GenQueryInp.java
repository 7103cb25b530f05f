package org.rodsgate.irods.protocol;

import java.util.List;
import java.util.Map;

/**
 * GenQueryInp_PI (§5.1). {@code selects} are (column, ivalue) pairs; {@code conditions} are (column, condition
 * string) pairs, ANDed. Use {@link org.rodsgate.irods.query.GenQuery} to build conditions with safe quoting.
 */
public record GenQueryInp(int maxRows, int continueInx, int partialStartIndex, int options,
                          Map<String, String> condInput, List<int[]> selects, List<Condition> conditions) {

    public static final int RETURN_TOTAL_ROW_COUNT = 0x20;
    public static final int NO_DISTINCT = 0x40;
    public static final int AUTO_CLOSE = 0x100;
    public static final int ORDER_BY = 0x400;
    public static final int ORDER_BY_DESC = 0x800;

    public record Condition(int column, String condition) {}

    public byte[] pack() {
        PackWriter w = PackWriter.client("GenQueryInp_PI").i("maxRows", maxRows).i("continueInx", continueInx)
            .i("partialStartIndex", partialStartIndex).i("options", options).kvp(condInput);
        w.open("InxIvalPair_PI").i("iiLen", selects.size());
        for (int[] s : selects) {
            w.i("inx", s[0]);
        }
        for (int[] s : selects) {
            w.i("ivalue", s[1]);
        }
        w.close().open("InxValPair_PI").i("isLen", conditions.size());
        for (Condition c : conditions) {
            w.i("inx", c.column());
        }
        for (Condition c : conditions) {
            w.str("svalue", c.condition());
        }
        w.close();
        return w.bytes();
    }

    public static GenQueryInp parse(XmlNode n) {
        XmlNode sel = n.child("InxIvalPair_PI");
        List<int[]> selects = new java.util.ArrayList<>();
        if (sel != null) {
            List<String> inx = sel.strs("inx");
            List<String> iv = sel.strs("ivalue");
            for (int i = 0; i < inx.size(); i++) {
                selects.add(new int[] {Integer.parseInt(inx.get(i).trim()),
                    i < iv.size() ? Integer.parseInt(iv.get(i).trim()) : 1});
            }
        }
        XmlNode wh = n.child("InxValPair_PI");
        List<Condition> conds = new java.util.ArrayList<>();
        if (wh != null) {
            List<String> inx = wh.strs("inx");
            List<String> sv = wh.strs("svalue");
            for (int i = 0; i < inx.size(); i++) {
                conds.add(new Condition(Integer.parseInt(inx.get(i).trim()), i < sv.size() ? sv.get(i) : ""));
            }
        }
        return new GenQueryInp(n.int32("maxRows"), n.int32("continueInx"), n.int32("partialStartIndex"),
            n.int32("options"), n.kvp(), selects, conds);
    }
}
