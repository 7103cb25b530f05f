package org.rodsgate.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImportOutputTest {
    @Test
    void readsYamlDocumentsInAnyKeyOrder() {
        String yaml = "---\n- Fileset: 12\n  Image: [34, 35]\n---\n- Image: [40]\n  Fileset: 13\n";
        assertEquals(List.of(new ImportOutput.Fileset(12, List.of(34L, 35L)), new ImportOutput.Fileset(13, List.of(40L))),
            ImportOutput.filesets(yaml));
    }

    @Test
    void readsTheSummaryErrorCountAndNotesItsAbsence() {
        assertEquals(0, ImportOutput.summaryErrors("log\n==> Summary\n2 file(s) uploaded, 1 fileset(s) created,"
            + " 2 image(s) imported, 0 error(s) in 0:00:01.234\n"));
        assertEquals(1, ImportOutput.summaryErrors("==> Summary\n1 file(s) uploaded, 1 fileset(s) created,"
            + " 0 image(s) imported, 1 error(s) in 0:00:00.100"));
        assertEquals(-1, ImportOutput.summaryErrors("Exception in thread main"));
    }

    @Test
    void readsImportDashFGroups() {
        String out = "#======================================\n# Group: /m/p/x.htd SPW: true Reader: loci.formats.in.MetaxpressTiffReader\n"
            + "/m/p/x.htd\n/m/p/w1.tif\n#======================================\n# Group: /m/a.tif SPW: false Reader: r\n/m/a.tif\n";
        assertEquals(List.of(List.of("/m/p/x.htd", "/m/p/w1.tif"), List.of("/m/a.tif")), ImportOutput.groups(out));
    }

    @Test
    void clientPathIsSanitisedAsOmeroDoes() {
        assertEquals("mnt/z/a'b x;c[d]e%f!g!h_i", ClientPath.of("/mnt/z/a\"b *:c<d>e?f\\g|h\u0001i"));
    }
}
