package org.rodsgate.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Every format the registrar reads, as OMERO's source writes it (each test names the file it was checked against). */
class ImportOutputTest {
    /** LoggingImportMonitor.ImportSummary.outputYamlResults: "---", "- Fileset: N", "  Kind: [a,b]" in any kind order. */
    @Test
    void yamlDocumentsAsLoggingImportMonitorWritesThem() {
        String yaml = "---\n- Fileset: 12\n  Image: [34,35]\n---\n- Fileset: 13\n  Plate: [7]\n  Image: [40]\n"
            + "---\n- Fileset: 14\n";
        assertEquals(List.of(new ImportOutput.Fileset(12, List.of(34L, 35L)), new ImportOutput.Fileset(13, List.of(40L)),
            new ImportOutput.Fileset(14, List.of())), ImportOutput.filesets(yaml));
    }

    /** LoggingImportMonitor.ImportSummary.report() + entityCountToString: singular for 1, plural otherwise. */
    @Test
    void summaryIsSingularForOneAndPluralOtherwise() {
        assertEquals(new ImportOutput.Summary(1, 1, 0, 1, 0), ImportOutput.summary(
            "log line\n\n==> Summary\n1 file uploaded, 1 fileset created, 1 image imported, 0 errors in 0:00:02.314\n"));
        assertEquals(new ImportOutput.Summary(3, 2, 1, 5, 1), ImportOutput.summary(
            "==> Summary\n3 files uploaded, 2 filesets, 1 plate created, 5 images imported, 1 error in 0:01:10.020\n"));
        assertEquals(0, ImportOutput.summaryErrors("==> Summary\n0 files uploaded, 0 filesets created, 0 images"
            + " imported, 0 errors in 0:00:00.004"));
        assertEquals(-1, ImportOutput.summaryErrors("Exception in thread main"), "no summary: the importer died");
    }

    /** The form the old double printed is not OMERO's and must not count as a summary. */
    @Test
    void aSummaryWithLiteralParenthesisSOrWrongNumberIsNotOmeros() {
        assertEquals(-1, ImportOutput.summaryErrors("1 file(s) uploaded, 1 fileset(s) created, 1 image(s) imported,"
            + " 0 error(s) in 0:00:01.000"));
        assertEquals(-1, ImportOutput.summaryErrors("1 files uploaded, 1 fileset created, 1 image imported, 0 errors"
            + " in 0:00:01.000"));
        assertEquals(-1, ImportOutput.summaryErrors("2 file uploaded, 1 fileset created, 1 image imported, 0 errors"
            + " in 0:00:01.000"));
    }

    /** ImportCandidates.print(): header lines, then each used file verbatim (a name may end in spaces). */
    @Test
    void importDashFGroupsKeepNamesVerbatim() {
        String out = "#======================================\n"
            + "# Group: /m/p/x.htd SPW: true Reader: loci.formats.in.MetaxpressTiffReader\n"
            + "/m/p/x.htd\n/m/p/w1.tif\n#======================================\n# Group: /m/a.tif  SPW: false Reader: r\n"
            + "/m/a.tif \n#======================================\n# Group: / lead.tif SPW: false Reader: r\n/m/ lead.tif\n";
        assertEquals(List.of(List.of("/m/p/x.htd", "/m/p/w1.tif"), List.of("/m/a.tif "), List.of("/m/ lead.tif")),
            ImportOutput.groups(out));
    }

    /** omero-py src/omero/util/text.py PlainStyle (csv.writer, "\r\n" rows) via src/omero/plugins/hql.py display. */
    @Test
    void hqlPlainRowsAsOmeroPyWritesThem() {
        assertEquals(List.of(List.of("77", "2"), List.of("78", "0")), ImportOutput.plainRows("0,77,2\r\n\n1,78,0\r\n\n"));
        assertEquals(List.of(), ImportOutput.plainRows("\n"), "no rows: one empty line");
        assertEquals(List.of(List.of("a,b", "say \"hi\"")), ImportOutput.plainRows("0,\"a,b\",\"say \"\"hi\"\"\"\r\n"));
        // csv.writer quotes a value holding a line break (e.g. a map annotation value): the record spans lines
        assertEquals(List.of(List.of("10", "two\nlines\r\nhere", "x"), List.of("11", "", "None")),
            ImportOutput.plainRows("0,10,\"two\nlines\r\nhere\",x\r\n\n1,11,,None\r\n"));
    }

    /** omero-py src/omero/cli.py CmdControl.print_report + GraphControl.print_request_description. */
    @Test
    void deleteIsJudgedFromItsReport() {
        assertTrue(ImportOutput.deleted("omero.cmd.Delete2 Fileset:12 ok\n", "Fileset:12"));
        assertFalse(ImportOutput.deleted("omero.cmd.Delete2 Fileset:12 ", "Fileset:12"), "failed: stderr only");
        assertFalse(ImportOutput.deleted("omero.cmd.Delete2 Fileset:123 ok\n", "Fileset:12"));
        assertFalse(ImportOutput.deleted("", "Fileset:12"));
    }

    @Test
    void clientPathIsSanitisedAsOmeroDoes() {
        assertEquals("mnt/z/a'b x;c[d]e%f!g!h_i", ClientPath.of("/mnt/z/a\"b *:c<d>e?f\\g|h\u0001i"));
    }

    /** hibernate-orm hibernate-core/src/main/antlr/hql.g QUOTED_STRING/ESCqs: '' is the only escape. */
    @Test
    void hqlStringLiteralsDoubleQuotesOnly() {
        assertEquals("'quo''te.tif'", Hql.string("quo'te.tif"));
        assertEquals("'back\\slash'", Hql.string("back\\slash"));
        assertEquals("'per%cent_under'", Hql.string("per%cent_under"));
        assertEquals("''''''", Hql.string("''"));
    }

    /** ome/omero-documentation sysadmins/fs-upload-configuration.rst: no control characters in names. */
    @Test
    void namesOmeroCannotTake() {
        assertNull(Names.problem("/z/h/quo'te \\%_.tif "));
        assertTrue(Names.problem("/z/h/line\nbreak.tif").contains("U+000A"));
        assertTrue(Names.problem("/z/h/tab\t.tif").contains("U+0009"));
    }
}
