package org.rodsgate.omero;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;
import org.rodsgate.reverse.OmeroSide;

/**
 * The reverse direction's view of OMERO, over the {@code omero} command ({@link OmeroCli}): every read is one
 * {@code omero hql --all} query run as the admin (all users, all groups), paged with {@code --limit/--offset}; the
 * description is written as the fileset's owner ({@code --sudo}).
 *
 * <p>Where each answer comes from in OMERO's source:
 * <ul>
 * <li>a Fileset, its FilesetEntries (clientPath) and OriginalFiles exist before the upload starts; of its jobs
 *     (UploadJob, MetadataImportJob, PixelDataJob, [ThumbnailGenerationJob,] IndexingJob: ManagedRepositoryI
 *     .importFileset, ome/omero-blitz src/main/java/ome/services/blitz/repo/ManagedRepositoryI.java; all
 *     {@code Submitted} by JobBean.submit) only the UploadJob is set {@code Finished}, by
 *     ManagedImportProcessI.verifyUpload once the checksums match — so {@link OmeroFileset#uploadFinished()} reads the
 *     UploadJob's status and nothing else;</li>
 * <li>the transfer is the class name in a CommentAnnotation on the Fileset in namespace
 *     {@value #NS_TRANSFER}, mapped to the CLI's names as ome/omero-py src/omero/plugins/fs.py {@code TRANSFERS} does
 *     (the fileset columns follow fs.py {@code sets}: the sub-selects {@code size(f2.images)},
 *     {@code size(f3.usedFiles)} and {@code ann.textValue});</li>
 * <li>rows as {@code hql --style plain} prints them: csv, the row index first, a null as {@code None}, a time as
 *     Python's {@code time.ctime()} in the omero process's local zone, second precision (hql.py {@code unwrap},
 *     src/omero/util/text.py PlainStyle);</li>
 * <li>deletions: EventLog rows with action {@code DELETE} and entityType {@code ome.model.fs.Fileset};</li>
 * <li>map annotations are written with {@code obj new MapAnnotation} + {@code obj map-set} (obj.py
 *     MapSetTxAction replaces a present key, so the keys of one annotation are unique);
 *     {@code obj new MapAnnotation mapValue=...} fails in omero-py;</li>
 * <li>{@code omero download OriginalFile:ID FILE} (download.py) skips an existing FILE and checks nothing: the bytes
 *     are checked here against the OriginalFile's size and hash.</li>
 * </ul>
 * The exact query texts are below; the {@code omero} test double (native-tests/omero-double/omero) understands
 * exactly these and refuses any other.
 */
public final class OmeroReverse implements OmeroSide {
    /** The comment annotation naming the import's file transfer (omero.constants.namespaces.NSFILETRANSFER). */
    public static final String NS_TRANSFER = "openmicroscopy.org/omero/import/fileTransfer";
    /** The namespace of rodsgate's map annotations. */
    public static final String NS = "rodsgate";
    /** Rows per {@code omero hql} call when reading a fileset's files, images, ... (one process per page). */
    public static final int DEFAULT_PAGE = 500;
    /** Ids written into one {@code in (...)} list: keeps the command line short (far below ARG_MAX). */
    static final int ID_BATCH = 500;

    static final String FILESET_SELECT =
        "select fs.id, fs.details.owner.omeName, fs.details.group.name, fs.templatePrefix,"
            + " fs.details.creationEvent.time,"
            + " (select size(f2.images) from Fileset f2 where f2.id = fs.id),"
            + " (select max(s.value) from FilesetJobLink fjl, UploadJob j join j.status s"
            + " where fjl.parent.id = fs.id and fjl.child.id = j.id),"
            + " (select max(a.textValue) from FilesetAnnotationLink fal join fal.child a"
            + " where fal.parent.id = fs.id and a.ns = '" + NS_TRANSFER + "'),"
            + " (select size(f3.usedFiles) from Fileset f3 where f3.id = fs.id)"
            + " from Fileset fs";
    static final String FILES = "select fe.id, o.id, o.path, o.name, o.size, o.hash, h.value, fe.clientPath"
        + " from FilesetEntry fe join fe.originalFile o left join o.hasher h where fe.fileset.id = %d order by fe.id";
    static final String IMAGES = "select i.id from Image i where i.fileset.id = %d order by i.id";
    static final String DELETIONS = "select el.id, el.entityId, el.event.time from EventLog el"
        + " where el.action = 'DELETE' and el.entityType = 'ome.model.fs.Fileset' and el.id > %d order by el.id";
    static final String ORIGINAL_FILE = "select o.size, o.hash, h.value from OriginalFile o left join o.hasher h"
        + " where o.id = %d";
    static final Map<String, String> OF_OBJECT = Map.of(
        "Fileset", "select fs.id from Fileset fs where fs.id = %d",
        "Image", "select i.fileset.id from Image i where i.id = %d",
        "Dataset", "select distinct i.fileset.id from DatasetImageLink dil join dil.child i where dil.parent.id = %d"
            + " order by i.fileset.id",
        "Project", "select distinct i.fileset.id from ProjectDatasetLink pdl, DatasetImageLink dil join dil.child i"
            + " where pdl.child.id = dil.parent.id and pdl.parent.id = %d order by i.fileset.id");
    static final String TAG_LINKS = "select l.parent.id from ImageAnnotationLink l where l.child.id = %d"
        + " and l.parent.id in (%s) order by l.parent.id";
    static final String MAPS = "select l.parent.id, a.id, mv.name, mv.value from ImageAnnotationLink l,"
        + " MapAnnotation a join a.mapValue mv where l.child.id = a.id and a.ns = " + Hql.string(NS)
        + " and l.parent.id in (%s) order by l.parent.id, a.id, index(mv)";

    /** fs.py TRANSFERS (the importer's transfer classes, ome.formats.importer.transfers) → the CLI's names. */
    private static final Map<String, String> TRANSFERS = Map.of(
        "ome.formats.importer.transfers.SymlinkFileTransfer", "ln_s",
        "ome.formats.importer.transfers.HardlinkFileTransfer", "ln",
        "ome.formats.importer.transfers.MoveFileTransfer", "ln_rm",
        "ome.formats.importer.transfers.CopyFileTransfer", "cp",
        "ome.formats.importer.transfers.CopyMoveFileTransfer", "cp_rm",
        "ome.formats.importer.transfers.UploadFileTransfer", "upload",
        "ome.formats.importer.transfers.UploadRmFileTransfer", "upload_rm");
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy",
        Locale.ENGLISH);
    private static final Pattern OBJECT = Pattern.compile("(Fileset|Image|Dataset|Project):(\\d+)");

    private final OmeroCli cli;
    private final int page;
    private final ZoneId zone;

    /**
     * @param cli  the omero command (its settings: admin login, tag, timeout)
     * @param page rows per hql call (≥ 1), e.g. {@link #DEFAULT_PAGE}
     * @param zone the zone of the omero process's local time (its times are printed by time.ctime())
     */
    public OmeroReverse(OmeroCli cli, int page, ZoneId zone) {
        if (page < 1) {
            throw new IllegalArgumentException("page size " + page + " < 1");
        }
        this.cli = cli;
        this.page = page;
        this.zone = zone;
    }

    public OmeroReverse(OmeroCli cli, int page) {
        this(cli, page, ZoneId.systemDefault());
    }

    @Override
    public List<OmeroFileset> filesetsAfter(long afterId, int limit) throws IOException {
        List<OmeroFileset> out = new ArrayList<>();
        for (List<String> row : cli.query(FILESET_SELECT + " where fs.id > " + afterId + " order by fs.id", limit, 0)) {
            out.add(fileset(row, zone));
        }
        return out;
    }

    @Override
    public List<OmeroFileset> filesets(List<Long> ids) throws IOException {
        List<OmeroFileset> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += ID_BATCH) {
            List<Long> batch = ids.subList(i, Math.min(ids.size(), i + ID_BATCH));
            for (List<String> row : cli.query(FILESET_SELECT + " where fs.id in (" + idList(batch) + ") order by fs.id",
                batch.size(), 0)) {
                out.add(fileset(row, zone));
            }
        }
        return out;
    }

    @Override
    public OmeroFileset fileset(long id) throws IOException {
        List<List<String>> rows = cli.query(FILESET_SELECT + " where fs.id in (" + id + ") order by fs.id", 1, 0);
        if (rows.isEmpty()) {
            return null;
        }
        OmeroFileset fs = fileset(rows.get(0), zone);
        long expected = usedFiles(rows.get(0));
        List<OmeroOriginalFile> files = new ArrayList<>();
        for (List<String> row : all(String.format(FILES, id))) {
            files.add(originalFile(row));
        }
        if (files.size() != expected) {       // deleted or changed between the pages: never hand on a partial list
            if (cli.query(FILESET_SELECT + " where fs.id in (" + id + ") order by fs.id", 1, 0).isEmpty()) {
                return null;
            }
            throw new OmeroException("Fileset:" + id + " lists " + expected + " files but " + files.size()
                + " were read (it changed while being read)");
        }
        return fs.withFiles(files);
    }

    @Override
    public List<Long> images(long fileset) throws IOException {
        List<Long> out = new ArrayList<>();
        for (List<String> row : all(String.format(IMAGES, fileset))) {
            out.add(number(row, 0, "Image.id"));
        }
        return out;
    }

    @Override
    public List<Deletion> deletionsAfter(long afterEvent, int limit) throws IOException {
        List<Deletion> out = new ArrayList<>();
        for (List<String> row : cli.query(String.format(DELETIONS, afterEvent), limit, 0)) {
            out.add(deletion(row, zone));
        }
        return out;
    }

    @Override
    public List<Long> filesetsOf(String object) throws IOException {
        Matcher m = OBJECT.matcher(object == null ? "" : object);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an OMERO object of the form Fileset:ID, Image:ID, Dataset:ID or"
                + " Project:ID: " + object);
        }
        TreeSet<Long> ids = new TreeSet<>();
        for (List<String> row : all(String.format(OF_OBJECT.get(m.group(1)), Long.parseLong(m.group(2))))) {
            ids.add(number(row, 0, "Fileset.id"));
        }
        return List.copyOf(ids);
    }

    @Override
    public void describe(String user, long fileset, List<Long> images, List<Map.Entry<String, String>> pairs)
        throws IOException {
        List<Map.Entry<String, String>> want = checkedPairs(pairs);
        if (images.isEmpty()) {
            return;
        }
        long tag = cli.tag(user);
        java.util.Set<Long> tagged = new java.util.HashSet<>();
        for (int i = 0; i < images.size(); i += ID_BATCH) {
            for (List<String> row : all(String.format(TAG_LINKS, tag, idList(images.subList(i, Math.min(images.size(),
                i + ID_BATCH)))))) {
                tagged.add(number(row, 0, "Image.id"));
            }
        }
        for (long image : images) {
            if (!tagged.contains(image)) {
                link(user, image, "TagAnnotation", tag);
            }
        }
        Map<Long, Map<Long, List<Map.Entry<String, String>>>> maps = new HashMap<>();   // image → annotation → pairs
        for (int i = 0; i < images.size(); i += ID_BATCH) {
            for (List<String> row : all(String.format(MAPS, idList(images.subList(i, Math.min(images.size(),
                i + ID_BATCH)))))) {
                if (row.size() != 4) {
                    throw new OmeroException("map annotation row of " + row.size() + " columns: " + row);
                }
                maps.computeIfAbsent(number(row, 0, "Image.id"), k -> new LinkedHashMap<>())
                    .computeIfAbsent(number(row, 1, "MapAnnotation.id"), k -> new ArrayList<>())
                    .add(Map.entry(row.get(2), row.get(3)));
            }
        }
        Long same = null;
        List<Long> lacking = new ArrayList<>();
        for (long image : images) {
            Long found = null;
            for (Map.Entry<Long, List<Map.Entry<String, String>>> a : maps.getOrDefault(image, Map.of()).entrySet()) {
                if (a.getValue().equals(want)) {
                    found = a.getKey();
                }
            }
            if (found == null) {
                lacking.add(image);
            } else if (same == null) {
                same = found;
            }
        }
        if (lacking.isEmpty()) {
            return;
        }
        if (same == null) {       // complete before it is linked: a cut leaves an unlinked annotation, never a half one
            same = cli.create(user, "MapAnnotation", List.of("ns=" + NS));
            for (Map.Entry<String, String> p : want) {
                cli.mapSet(user, same, p.getKey(), p.getValue());
            }
        }
        for (long image : lacking) {
            link(user, image, "MapAnnotation", same);
        }
    }

    /** {@code obj new ImageAnnotationLink} (the caller checked that the link does not exist yet). */
    private void link(String user, long image, String kind, long annotation) throws IOException {
        cli.create(user, "ImageAnnotationLink", List.of("parent=Image:" + image, "child=" + kind + ":" + annotation));
    }

    @Override
    public void download(long originalFile, Path to) throws IOException {
        List<List<String>> rows = cli.query(String.format(ORIGINAL_FILE, originalFile), 1, 0);
        if (rows.isEmpty()) {
            throw new OmeroException("download: no OriginalFile:" + originalFile);
        }
        List<String> of = rows.get(0);
        Long size = nullable(of.get(0)) == null ? null : number(of, 0, "OriginalFile.size");
        String hash = nullable(of.get(1));
        String hasher = nullable(of.get(2));
        Path dir = cli.download(originalFile);
        try {
            Path got = dir.resolve("original");
            String problem = verify(got, size, hash, hasher);
            if (problem != null) {
                throw new OmeroException("download of OriginalFile:" + originalFile + " to " + to + ": " + problem);
            }
            Path part = to.resolveSibling(to.getFileName() + ".part-download");
            try {
                Files.copy(got, part, StandardCopyOption.REPLACE_EXISTING);
                try {
                    Files.move(part, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(part, to, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(part);
            }
        } finally {
            OmeroCli.removeTree(dir);
        }
    }

    /**
     * Null when {@code file} has the size and, for SHA1-160 / MD5-128 (hex, ome.util.checksum), the hash OMERO
     * recorded; otherwise what differs. Other hashers (Murmur3, Adler-32, CRC-32, File-Size-64) check the size only.
     */
    static String verify(Path file, Long size, String hash, String hasher) throws IOException {
        long actual = Files.size(file);
        if (size != null && actual != size) {
            return "size " + actual + " bytes, OMERO records " + size;
        }
        String algorithm = hasher == null ? null : switch (hasher) {
            case "SHA1-160" -> "SHA-1";
            case "MD5-128" -> "MD5";
            default -> null;
        };
        if (algorithm == null || hash == null) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance(algorithm);
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            String hex = HexFormat.of().formatHex(d.digest());
            return hex.equalsIgnoreCase(hash) ? null : hasher + " " + hex + ", OMERO records " + hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every row of a query, page by page (a page shorter than {@link #page} is the last). */
    private List<List<String>> all(String query) throws IOException {
        List<List<String>> out = new ArrayList<>();
        for (int offset = 0; ; offset += page) {
            List<List<String>> rows = cli.query(query, page, offset);
            out.addAll(rows);
            if (rows.size() < page) {
                return out;
            }
        }
    }

    /** The pairs as given, each key once (map-set would silently replace a repeated key's value). */
    static List<Map.Entry<String, String>> checkedPairs(List<Map.Entry<String, String>> pairs) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        java.util.Set<String> keys = new java.util.HashSet<>();
        for (Map.Entry<String, String> p : pairs) {
            if (p.getKey() == null || p.getKey().isEmpty() || p.getValue() == null) {
                throw new IllegalArgumentException("map annotation pair without key or value: " + p);
            }
            if (!keys.add(p.getKey())) {
                throw new IllegalArgumentException("map annotation key " + p.getKey() + " given twice (omero obj"
                    + " map-set keeps one value per key): number repeated keys, e.g. irods.path.1, irods.path.2");
            }
            out.add(Map.entry(p.getKey(), p.getValue()));
        }
        return out;
    }

    static String idList(List<Long> ids) {
        StringBuilder b = new StringBuilder();
        for (long id : ids) {
            b.append(b.length() == 0 ? "" : ", ").append(id);
        }
        return b.toString();
    }

    /** A row of {@link #FILESET_SELECT}. */
    static OmeroFileset fileset(List<String> row, ZoneId zone) throws OmeroException {
        if (row.size() != 9) {
            throw new OmeroException("fileset row of " + row.size() + " columns, 9 expected: " + row);
        }
        String status = nullable(row.get(6));
        String created = nullable(row.get(4));
        return new OmeroFileset(number(row, 0, "Fileset.id"), row.get(1), row.get(2), row.get(3),
            transfer(nullable(row.get(7))), "Finished".equals(status), (int) number(row, 5, "size(images)"),
            created == null ? 0 : ctime(created, zone), List.of());
    }

    static long usedFiles(List<String> row) throws OmeroException {
        return number(row, 8, "size(usedFiles)");
    }

    /** A row of {@link #FILES}: entry id, file id, path, name, size, hash, hasher, clientPath. */
    static OmeroOriginalFile originalFile(List<String> row) throws OmeroException {
        if (row.size() != 8) {
            throw new OmeroException("original file row of " + row.size() + " columns, 8 expected: " + row);
        }
        String size = nullable(row.get(4));
        return new OmeroOriginalFile(number(row, 1, "OriginalFile.id"), row.get(2), row.get(3),
            size == null ? -1 : number(row, 4, "OriginalFile.size"), nullable(row.get(5)), nullable(row.get(6)),
            nullable(row.get(7)));
    }

    /** A row of {@link #DELETIONS}. */
    static Deletion deletion(List<String> row, ZoneId zone) throws OmeroException {
        if (row.size() != 3) {
            throw new OmeroException("EventLog row of " + row.size() + " columns, 3 expected: " + row);
        }
        return new Deletion(number(row, 0, "EventLog.id"), number(row, 1, "EventLog.entityId"),
            ctime(row.get(2), zone));
    }

    /** fs.py TRANSFERS: the transfer's CLI name; an unknown class name is kept as it is (so not "in place"). */
    static String transfer(String className) {
        return className == null || className.isEmpty() ? null : TRANSFERS.getOrDefault(className, className);
    }

    /** Python's time.ctime() ("Tue Dec  1 03:05:55 2026", local time of the omero process) as epoch ms. */
    static long ctime(String text, ZoneId zone) throws OmeroException {
        try {
            return LocalDateTime.parse(text.strip().replaceAll("\\s+", " ").replaceFirst(" (\\d) ", "  $1 "), CTIME)
                .atZone(zone).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            throw new OmeroException("not a time as omero hql prints it (time.ctime): '" + text + "'");
        }
    }

    /** hql prints a null as str(None). */
    static String nullable(String v) {
        return v == null || v.equals("None") ? null : v;
    }

    private static long number(List<String> row, int col, String what) throws OmeroException {
        try {
            return Long.parseLong(row.get(col));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new OmeroException(what + " is not a number in the row " + row);
        }
    }
}
