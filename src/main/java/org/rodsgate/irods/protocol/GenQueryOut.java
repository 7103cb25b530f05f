package org.rodsgate.irods.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * GenQueryOut_PI (§5.3). Values are held row-major here ({@code rows.get(r).get(c)}); on the wire they are
 * column-major. The server always writes 50 SqlResult_PI entries.
 */
public record GenQueryOut(int continueInx, int totalRowCount, int[] columns, List<List<String>> rows) {
    public static final int MAX_SQL_ATTR = 50;

    public static GenQueryOut empty() {
        return new GenQueryOut(0, 0, new int[0], List.of());
    }

    public byte[] pack() {
        PackWriter w = PackWriter.server("GenQueryOut_PI").i("rowCnt", rows.size()).i("attriCnt", columns.length)
            .i("continueInx", continueInx).i("totalRowCount", totalRowCount);
        for (int c = 0; c < MAX_SQL_ATTR; c++) {
            w.open("SqlResult_PI");
            if (c < columns.length) {
                int width = 50;
                for (List<String> row : rows) {
                    width = Math.max(width, row.get(c).length() + 1);
                }
                w.i("attriInx", columns[c]).i("reslen", width);
                for (List<String> row : rows) {
                    w.str("value", row.get(c));
                }
            } else {
                w.i("attriInx", 0).i("reslen", 0);
            }
            w.close();
        }
        return w.bytes();
    }

    public static GenQueryOut parse(XmlNode n) {
        int rowCnt = n.int32("rowCnt");
        int attriCnt = n.int32("attriCnt");
        List<XmlNode> res = n.all("SqlResult_PI");
        if (res.size() < attriCnt) {
            throw new ProtocolException("GenQueryOut_PI has " + res.size() + " columns, attriCnt " + attriCnt);
        }
        int[] cols = new int[attriCnt];
        List<List<String>> byCol = new ArrayList<>();
        for (int c = 0; c < attriCnt; c++) {
            cols[c] = res.get(c).int32("attriInx");
            List<String> v = res.get(c).strs("value");
            if (v.size() != rowCnt) {
                throw new ProtocolException("column " + cols[c] + " has " + v.size() + " values, rowCnt " + rowCnt);
            }
            byCol.add(v);
        }
        List<List<String>> rows = new ArrayList<>(rowCnt);
        for (int r = 0; r < rowCnt; r++) {
            List<String> row = new ArrayList<>(attriCnt);
            for (int c = 0; c < attriCnt; c++) {
                row.add(byCol.get(c).get(r));
            }
            rows.add(row);
        }
        return new GenQueryOut(n.int32("continueInx"), n.int32("totalRowCount"), cols, rows);
    }
}
