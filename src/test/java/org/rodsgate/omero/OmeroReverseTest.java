package org.rodsgate.omero;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.reverse.OmeroSide;

/**
 * OmeroReverse with a scripted runner answering as OMERO's command prints: {@code hql --style plain} rows as omero-py
 * src/omero/util/text.py PlainStyle writes them (csv.writer, "\r\n", the row index first) with values unwrapped as
 * src/omero/plugins/hql.py does (a null is {@code None}, a time is {@code time.ctime()}); {@code obj} output as
 * src/omero/plugins/obj.py ({@code KIND:ID}); {@code download} as src/omero/plugins/download.py.
 */
class OmeroReverseTest {
    static final ZoneId UTC = ZoneOffset.UTC;
    final List<List<String>> commands = new ArrayList<>();
    Function<List<String>, ProcessRunner.Result> answer = c -> new ProcessRunner.Result(0, "\n", "");

    @TempDir
    Path tmp;

    OmeroReverse reverse(int page) {
        OmeroSettings s = new OmeroSettings("omero.example.org", 4064, "root", "s3cret", "/opt/omero/bin/omero",
            "omero-server", "lab", "File-Size-64", Map.of(), Duration.ofMinutes(1), "registered");
        ProcessRunner r = new ProcessRunner() {
            @Override
            public Result run(List<String> command, Map<String, String> env, Duration timeout) {
                commands.add(command);
                return answer.apply(command);
            }

            @Override
            public Path privateDirectory(String prefix) throws java.io.IOException {
                return Files.createTempDirectory(tmp, prefix);
            }
        };
        return new OmeroReverse(new OmeroCli(s, r), page, UTC);
    }

    static String query(List<String> cmd) {
        return cmd.get(cmd.size() - 1);
    }

    static int opt(List<String> cmd, String name) {
        return Integer.parseInt(cmd.get(cmd.indexOf(name) + 1));
    }

    static ProcessRunner.Result rows(String... lines) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            b.append(i == 0 ? "" : "\n").append(i).append(',').append(lines[i]).append("\r\n");
        }
        return new ProcessRunner.Result(0, lines.length == 0 ? "\n" : b.toString(), "");
    }

    @Test
    void filesetRowFromFsPySetsColumnsAndHqlPyUnwrap() throws Exception {
        // omero-py fs.py sets: id, templatePrefix, size(images), ann.textValue (NSFILETRANSFER); hql.py: a time is
        // time.ctime(ms / 1000), a null None; ManagedImportProcessI.verifyUpload: the UploadJob "Finished"
        OmeroFileset f = OmeroReverse.fileset(List.of("12", "alice", "lab", "alice_3/2026-12/01/03-05-55.123/",
            "Tue Dec  1 03:05:55 2026", "2", "Finished", "ome.formats.importer.transfers.SymlinkFileTransfer", "3"), UTC);
        assertEquals(12, f.id());
        assertEquals("alice", f.owner());
        assertEquals("lab", f.group());
        assertEquals("alice_3/2026-12/01/03-05-55.123/", f.templatePrefix());
        assertEquals("ln_s", f.transfer());
        assertTrue(f.inPlace());
        assertTrue(f.uploadFinished());
        assertEquals(2, f.images());
        assertEquals(java.time.Instant.parse("2026-12-01T03:05:55Z").toEpochMilli(), f.createdMillis());
        assertEquals(3, OmeroReverse.usedFiles(List.of("12", "a", "g", "p/", "Tue Dec  1 03:05:55 2026", "2",
            "Finished", "None", "3")));
    }

    @Test
    void uploadJobSubmittedOrMissingIsNotFinished() throws Exception {
        // JobBean.submit: every job starts "Submitted"; only verifyUpload sets the UploadJob "Finished"
        OmeroFileset running = OmeroReverse.fileset(List.of("7", "bob", "g", "bob_4/x/", "Wed Dec 31 23:59:59 2025",
            "0", "Submitted", "ome.formats.importer.transfers.UploadFileTransfer", "1"), UTC);
        assertFalse(running.uploadFinished());
        assertEquals("upload", running.transfer());
        assertFalse(running.inPlace());
        OmeroFileset none = OmeroReverse.fileset(List.of("8", "bob", "g", "bob_4/y/", "Thu Jan 15 10:00:00 2026", "0",
            "None", "None", "0"), UTC);
        assertFalse(none.uploadFinished());
        assertNull(none.transfer());
    }

    @Test
    void transferClassNamesAsFsPyTransfers() {
        // omero-py src/omero/plugins/fs.py TRANSFERS, copied from AbstractFileTransfer.java
        assertEquals("ln", OmeroReverse.transfer("ome.formats.importer.transfers.HardlinkFileTransfer"));
        assertEquals("ln_rm", OmeroReverse.transfer("ome.formats.importer.transfers.MoveFileTransfer"));
        assertEquals("cp", OmeroReverse.transfer("ome.formats.importer.transfers.CopyFileTransfer"));
        assertEquals("upload_rm", OmeroReverse.transfer("ome.formats.importer.transfers.UploadRmFileTransfer"));
        assertEquals("com.example.OwnTransfer", OmeroReverse.transfer("com.example.OwnTransfer"));
        assertNull(OmeroReverse.transfer(null));
    }

    @Test
    void badFilesetRowsAreErrorsNotGuesses() {
        assertThrows(OmeroException.class, () -> OmeroReverse.fileset(List.of("12", "alice"), UTC));
        assertThrows(OmeroException.class, () -> OmeroReverse.fileset(List.of("x", "a", "g", "p/",
            "Tue Dec  1 03:05:55 2026", "0", "Finished", "None", "1"), UTC));
        assertThrows(OmeroException.class, () -> OmeroReverse.fileset(List.of("1", "a", "g", "p/", "2026-12-01 03:05",
            "0", "Finished", "None", "1"), UTC));
    }

    @Test
    void originalFileRowWithNullSizeHashAndHasher() throws Exception {
        // RepositoryDaoImpl.saveFileset registers the OriginalFile before the upload: size and hash come on close
        OmeroOriginalFile f = OmeroReverse.originalFile(List.of("30", "31", "alice_3/t/sub/", "a, \"b\".tif", "None",
            "None", "SHA1-160", "data/P/a, \"b\".tif"));
        assertEquals(31, f.id());
        assertEquals(-1, f.size());
        assertNull(f.hash());
        assertEquals("SHA1-160", f.hasher());
        assertEquals("alice_3/t/sub/a, \"b\".tif", f.repoPath());
        assertEquals("data/P/a, \"b\".tif", f.clientPath());
    }

    @Test
    void ctimeTwoDigitDaysAndZone() throws Exception {
        assertEquals(java.time.Instant.parse("2026-03-14T15:09:26Z").toEpochMilli(),
            OmeroReverse.ctime("Sat Mar 14 15:09:26 2026", UTC));
        assertEquals(java.time.Instant.parse("2026-03-14T14:09:26Z").toEpochMilli(),
            OmeroReverse.ctime("Sat Mar 14 15:09:26 2026", ZoneId.of("Europe/Paris")));
    }

    @Test
    void filesetsAfterIsOneHqlCallAsTheAdminAcrossGroups() throws Exception {
        answer = c -> rows("5,alice,lab,alice_3/a/,Tue Dec  1 03:05:55 2026,1,Finished,"
            + "ome.formats.importer.transfers.UploadFileTransfer,1",
            "6,bob,other,bob_4/b/,Tue Dec  1 03:06:01 2026,0,Submitted,None,2");
        List<OmeroFileset> got = reverse(100).filesetsAfter(4, 50);
        assertEquals(List.of(5L, 6L), got.stream().map(OmeroFileset::id).toList());
        assertEquals(1, commands.size());
        List<String> c = commands.get(0);
        // hql.py: --all sets omero.group=-1 (all groups); --limit/--offset page (default 25 rows)
        assertTrue(c.contains("--all"));
        assertEquals(50, opt(c, "--limit"));
        assertEquals(0, opt(c, "--offset"));
        assertFalse(c.contains("--sudo"), "the admin reads as itself: " + c);
        assertFalse(c.contains("-g"), "no group: --all spans every group: " + c);
        assertTrue(query(c).endsWith(" from Fileset fs where fs.id > 4 order by fs.id"), query(c));
        assertFalse(String.join(" ", c).contains("s3cret"), "the password travels in the environment only");
    }

    @Test
    void filesetPagesItsFilesAndRefusesAPartialList() throws Exception {
        answer = c -> {
            String q = query(c);
            if (q.contains("from Fileset fs")) {
                return rows("9,alice,lab,alice_3/t/,Tue Dec  1 03:05:55 2026,1,Finished,None,5");
            }
            int off = opt(c, "--offset");
            List<String> page = new ArrayList<>();
            for (int i = off; i < Math.min(5, off + opt(c, "--limit")); i++) {
                page.add((100 + i) + "," + (200 + i) + ",alice_3/t/,f" + i + ".tif," + i + ",abc,SHA1-160,data/f" + i
                    + ".tif");
            }
            return rows(page.toArray(new String[0]));
        };
        OmeroFileset fs = reverse(2).fileset(9);
        assertEquals(5, fs.files().size());
        assertEquals("f4.tif", fs.files().get(4).name());
        assertEquals(List.of(0, 2, 4), commands.stream().filter(c -> query(c).contains("FilesetEntry"))
            .map(c -> opt(c, "--offset")).toList());

        commands.clear();
        answer = c -> query(c).contains("from Fileset fs")
            ? rows("9,alice,lab,alice_3/t/,Tue Dec  1 03:05:55 2026,1,Finished,None,5")
            : rows("100,200,alice_3/t/,f0.tif,1,abc,SHA1-160,data/f0.tif");
        assertThrows(OmeroException.class, () -> reverse(2).fileset(9), "4 of 5 files missing must not pass");
    }

    @Test
    void filesetDeletedIsNull() throws Exception {
        assertNull(reverse(10).fileset(9));
    }

    @Test
    void filesetsByIdsBatchesTheInList() throws Exception {
        answer = c -> rows();
        List<Long> ids = new ArrayList<>();
        for (long i = 1; i <= OmeroReverse.ID_BATCH + 3; i++) {
            ids.add(i);
        }
        assertEquals(List.of(), reverse(10).filesets(ids));
        assertEquals(2, commands.size());
        assertTrue(query(commands.get(1)).contains("where fs.id in (501, 502, 503) order by fs.id"));
        assertEquals(3, opt(commands.get(1), "--limit"));
    }

    @Test
    void deletionsFromEventLog() throws Exception {
        answer = c -> rows("70,12,Tue Dec  1 04:00:00 2026", "75,13,Tue Dec  1 04:00:01 2026");
        List<OmeroSide.Deletion> d = reverse(10).deletionsAfter(69, 10);
        assertEquals(new OmeroSide.Deletion(70, 12, java.time.Instant.parse("2026-12-01T04:00:00Z").toEpochMilli()),
            d.get(0));
        assertTrue(query(commands.get(0)).contains("el.action = 'DELETE' and el.entityType = 'ome.model.fs.Fileset'"
            + " and el.id > 69 order by el.id"));
    }

    @Test
    void filesetsOfObjectsAndBadForms() throws Exception {
        answer = c -> rows("3", "3", "1");
        assertEquals(List.of(1L, 3L), reverse(10).filesetsOf("Project:5"));
        assertTrue(query(commands.get(0)).contains("pdl.parent.id = 5"));
        assertThrows(IllegalArgumentException.class, () -> reverse(10).filesetsOf("Screen:5"));
        assertThrows(IllegalArgumentException.class, () -> reverse(10).filesetsOf("Dataset:"));
        assertThrows(IllegalArgumentException.class, () -> reverse(10).filesetsOf("Dataset:1 or 1=1"));
    }

    @Test
    void describeCreatesTheMapCompleteBeforeLinkingAndOnlyOnce() throws Exception {
        List<String> linked = new ArrayList<>();
        answer = c -> {
            String all = String.join(" ", c);
            if (c.contains("hql") && query(c).contains("TagAnnotation t")) {
                return rows("5");
            }
            if (c.contains("hql") && query(c).contains("MapAnnotation a")) {
                // image 10 already carries an identical map annotation 40; image 11 carries another one
                return rows("10,40,irods.path,/z/a.tif", "10,40,irods.zone,z", "11,41,irods.path,/old");
            }
            if (c.contains("hql") && query(c).contains("l.child.id = 5 and l.parent.id in (10, 11)")) {
                return rows("11");                              // image 11 is tagged already
            }
            if (c.contains("hql")) {
                return new ProcessRunner.Result(1, "", "unexpected query " + query(c));
            }
            if (all.contains(" new ImageAnnotationLink ")) {
                linked.add(c.get(c.size() - 2) + " " + c.get(c.size() - 1));
                return new ProcessRunner.Result(0, "ImageAnnotationLink:99\n", "");
            }
            return new ProcessRunner.Result(1, "", "unexpected");
        };
        reverse(10).describe("alice", 3, List.of(10L, 11L), List.of(Map.entry("irods.path", "/z/a.tif"),
            Map.entry("irods.zone", "z")));
        assertEquals(List.of("parent=Image:10 child=TagAnnotation:5", "parent=Image:11 child=MapAnnotation:40"), linked);
        assertEquals(1, commands.stream().filter(c -> c.contains("hql") && query(c).contains("TagAnnotation t")).count(),
            "the tag is looked up once");
        assertTrue(commands.stream().noneMatch(c -> c.contains("map-set")), "an identical annotation is reused");
        assertTrue(commands.stream().filter(c -> c.contains("obj")).allMatch(c -> c.contains("--sudo")
            && c.get(c.indexOf("-u") + 1).equals("alice")), "written as the owner");
    }

    @Test
    void describeNewMapAnnotationIsFilledBeforeItIsLinked() throws Exception {
        List<String> order = new ArrayList<>();
        answer = c -> {
            if (c.contains("hql")) {
                return query(c).contains("TagAnnotation t") ? rows("5") : rows();
            }
            order.add(String.join(" ", c.subList(c.indexOf("obj") + 1, c.size())).replaceAll(".*?(new|map-set)", "$1"));
            if (c.contains("MapAnnotation") && c.contains("new")) {
                return new ProcessRunner.Result(0, "MapAnnotation:50\n", "");
            }
            if (c.contains("map-set")) {
                return new ProcessRunner.Result(0, "MapAnnotation:50\n", "");
            }
            return new ProcessRunner.Result(0, "ImageAnnotationLink:51\n", "");
        };
        reverse(10).describe("alice", 3, List.of(10L), List.of(Map.entry("irods.path", "/z/a"),
            Map.entry("checksum", "sha2:x")));
        assertEquals(List.of("new ImageAnnotationLink parent=Image:10 child=TagAnnotation:5",
            "new MapAnnotation ns=rodsgate", "map-set MapAnnotation:50 mapValue irods.path /z/a",
            "map-set MapAnnotation:50 mapValue checksum sha2:x",
            "new ImageAnnotationLink parent=Image:10 child=MapAnnotation:50"), order);
    }

    @Test
    void describeRefusesARepeatedKey() {
        // obj.py MapSetTxAction replaces a present key: a second value would be lost silently
        assertThrows(IllegalArgumentException.class, () -> reverse(10).describe("alice", 3, List.of(10L),
            List.of(Map.entry("irods.path", "/a"), Map.entry("irods.path", "/b"))));
        assertTrue(commands.isEmpty());
    }

    @Test
    void downloadChecksSizeAndSha1AndNeverLeavesAPartFile() throws Exception {
        byte[] bytes = "hello omero".getBytes();
        String sha1 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(bytes));
        String[] hash = {sha1};
        answer = c -> {
            if (c.contains("hql")) {
                return rows(bytes.length + "," + hash[0] + ",SHA1-160");
            }
            try {   // download.py: "Downloading file ID: N to FILE" then the bytes
                Files.write(Path.of(c.get(c.size() - 1)), bytes);
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
            return new ProcessRunner.Result(0, "Downloading file ID: 7 to " + c.get(c.size() - 1) + "\n", "");
        };
        Path to = tmp.resolve("out.tif");
        reverse(10).download(7, to);
        assertEquals("hello omero", Files.readString(to));
        assertTrue(commands.get(1).contains("OriginalFile:7"));

        hash[0] = "0000000000000000000000000000000000000000";
        Path bad = tmp.resolve("bad.tif");
        OmeroException e = assertThrows(OmeroException.class, () -> reverse(10).download(7, bad));
        assertTrue(e.getMessage().contains("SHA1-160"), e.getMessage());
        assertFalse(Files.exists(bad));
        try (var s = Files.list(tmp)) {
            assertEquals(List.of("out.tif"), s.map(p -> p.getFileName().toString()).sorted().toList(),
                "no download directory or part file left behind");
        }
    }

    @Test
    void downloadOfAMissingFileIsAnError() {
        assertThrows(OmeroException.class, () -> reverse(10).download(7, tmp.resolve("x")));
    }

    @Test
    void badQueryExitIsAnError() {
        // hql.py BAD_QUERY: exit 52 "Bad query: ..."
        answer = c -> new ProcessRunner.Result(52, "", "Bad query: unexpected token");
        OmeroException e = assertThrows(OmeroException.class, () -> reverse(10).images(3));
        assertTrue(e.getMessage().contains("exit 52"), e.getMessage());
    }
}
