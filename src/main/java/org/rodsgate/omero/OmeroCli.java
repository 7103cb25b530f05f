package org.rodsgate.omero;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/** The `omero` commands rodsgate needs, built, run (as the OMERO OS user) and read back. */
public final class OmeroCli {
    private static final Logger LOG = Logger.getLogger(OmeroCli.class.getName());

    private final OmeroSettings s;
    private final ProcessRunner runner;

    public OmeroCli(OmeroSettings s, ProcessRunner runner) {
        this.s = s;
        this.runner = runner;
    }

    public OmeroSettings settings() {
        return s;
    }

    private Map<String, String> env() {
        Map<String, String> e = new HashMap<>(s.env());
        e.put("OMERO_PASSWORD", s.password());
        return e;
    }

    private List<String> login(String user) {
        List<String> a = new ArrayList<>(List.of("-s", s.host(), "-p", Integer.toString(s.port()), "-u", user,
            "--sudo", s.admin(), "-q"));
        if (s.group() != null && !s.group().isEmpty()) {
            a.addAll(List.of("-g", s.group()));
        }
        return a;
    }

    /**
     * The admin's own login, no --sudo: the reverse direction reads every user's and group's filesets (with
     * {@code hql --all}, i.e. {@code omero.group=-1}: ome/omero-py src/omero/plugins/hql.py).
     */
    private List<String> adminLogin() {
        return new ArrayList<>(List.of("-s", s.host(), "-p", Integer.toString(s.port()), "-u", s.admin(), "-q"));
    }

    private ProcessRunner.Result run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(s.cli());
        cmd.addAll(args);
        return runner.run(cmd, env(), s.timeout());
    }

    private OmeroException failure(String what, ProcessRunner.Result r) {
        String err = r.err().strip();
        String last = err.isEmpty() ? r.out().strip() : err.lines().filter(l -> !l.isBlank())
            .reduce((a, b) -> b).orElse("");
        return new OmeroException(what + " failed (exit " + r.exit() + ")" + (last.isEmpty()
            ? ", printing nothing (is " + s.cli() + " OMERO's command?)" : ": " + last));
    }

    /** Runs an HQL query as {@code user}; each row as its columns (the row index of `--style plain` dropped). */
    private List<String[]> hql(String user, String query) throws IOException {
        List<String> a = new ArrayList<>(List.of("hql"));
        a.addAll(login(user));
        a.addAll(List.of("--style", "plain", "--limit", "10000", "--all", query));
        ProcessRunner.Result r = run(a);
        if (r.exit() != 0) {
            throw failure("omero hql", r);
        }
        List<String[]> rows = new ArrayList<>();
        for (List<String> row : ImportOutput.plainRows(r.out())) {
            rows.add(row.toArray(new String[0]));
        }
        return rows;
    }

    /**
     * One page of an HQL query run as the admin across all groups: at most {@code limit} rows after skipping
     * {@code offset} ({@code omero hql --limit/--offset}; without --limit omero returns 25 rows). Each row as its
     * columns, verbatim as {@code --style plain} prints them (a null is the text {@code None}, a time is
     * {@code time.ctime()}: hql.py {@code unwrap}). OmeroException when omero exits non-zero (a bad query: 52).
     */
    public List<List<String>> query(String query, int limit, int offset) throws IOException {
        if (limit < 1 || offset < 0) {
            throw new IllegalArgumentException("hql page: limit " + limit + ", offset " + offset);
        }
        List<String> a = new ArrayList<>(List.of("hql"));
        a.addAll(adminLogin());
        a.addAll(List.of("--style", "plain", "--limit", Integer.toString(limit), "--offset", Integer.toString(offset),
            "--all", query));
        ProcessRunner.Result r = run(a);
        if (r.exit() != 0) {
            throw failure("omero hql", r);
        }
        return ImportOutput.plainRows(r.out());
    }

    /**
     * {@code omero obj new KIND FIELD=VALUE...} as {@code user}: the new object's id (omero-py
     * src/omero/plugins/obj.py prints {@code KIND:ID}; a failure exits non-zero, "Failed to create" is 336).
     */
    public long create(String user, String kind, List<String> fields) throws IOException {
        List<String> a = new ArrayList<>(List.of("obj"));
        a.addAll(login(user));
        a.addAll(List.of("new", kind));
        a.addAll(fields);
        ProcessRunner.Result c = run(a);
        String out = c.out().strip();
        if (c.exit() != 0 || !out.matches(java.util.regex.Pattern.quote(kind) + ":\\d+")) {
            throw failure("omero obj new " + kind, c);
        }
        return Long.parseLong(out.substring(kind.length() + 1));
    }

    /**
     * {@code omero obj map-set MapAnnotation:ID mapValue KEY VALUE} as {@code user}: sets KEY (replaced when present,
     * else appended: obj.py MapSetTxAction), prints {@code MapAnnotation:ID}.
     */
    public void mapSet(String user, long mapAnnotation, String key, String value) throws IOException {
        List<String> a = new ArrayList<>(List.of("obj"));
        a.addAll(login(user));
        a.addAll(List.of("map-set", "MapAnnotation:" + mapAnnotation, "mapValue", key, value));
        ProcessRunner.Result c = run(a);
        if (c.exit() != 0 || !c.out().strip().equals("MapAnnotation:" + mapAnnotation)) {
            throw failure("omero obj map-set MapAnnotation:" + mapAnnotation + " " + key, c);
        }
    }

    /**
     * Downloads an original file as the admin into a new private directory ({@code omero download OriginalFile:ID
     * FILE}: ome/omero-py src/omero/plugins/download.py, which skips an existing FILE, hence a fresh directory).
     * Returns the directory (the caller moves the file {@code dir/original} away and removes the directory); the bytes
     * are not checked here.
     */
    public Path download(long originalFile) throws IOException {
        Path dir = runner.privateDirectory("rodsgate-download-");
        Path file = dir.resolve("original");
        List<String> a = new ArrayList<>(List.of("download"));
        a.addAll(adminLogin());
        a.addAll(List.of("OriginalFile:" + originalFile, file.toString()));
        ProcessRunner.Result r = run(a);
        if (r.exit() != 0 || !Files.isRegularFile(file)) {
            removeTree(dir);
            throw failure("omero download OriginalFile:" + originalFile, r);
        }
        return dir;
    }

    /** Files checked per process by {@link #unreadable}: keeps the argument list far below ARG_MAX (2 MiB). */
    static final int READ_CHECK_BATCH = 200;

    /**
     * The first of {@code files} the OMERO OS user cannot read a byte of, or null when it reads them all
     * ({@code head -c 1} per file, as omero's own reads will go; one process per {@link #READ_CHECK_BATCH} files).
     */
    public String unreadable(List<String> files) throws IOException {
        for (int i = 0; i < files.size(); i += READ_CHECK_BATCH) {
            List<String> batch = files.subList(i, Math.min(files.size(), i + READ_CHECK_BATCH));
            List<String> cmd = new ArrayList<>(List.of("sh", "-c", "for f do head -c 1 -- \"$f\" >/dev/null 2>&1"
                + " || { printf '%s' \"$f\"; exit 1; }; done", "sh"));
            cmd.addAll(batch);
            ProcessRunner.Result r = runner.run(cmd, Map.of(), s.timeout());
            if (r.exit() != 0) {
                return r.out().isEmpty() ? batch.get(0) : r.out();
            }
        }
        return null;
    }

    /** How the importer groups the files under {@code paths} (no login needed). */
    public List<List<String>> groups(List<String> paths) throws IOException {
        List<String> a = new ArrayList<>(List.of("import", "-f"));
        a.addAll(paths);
        ProcessRunner.Result r = run(a);
        if (r.exit() == 125) {
            return List.of();
        }
        if (r.exit() != 0) {
            throw failure("omero import -f", r);
        }
        return ImportOutput.groups(r.out());
    }

    /** A fileset recorded for a clientPath, with its image count. */
    public record Known(long fileset, long images) {}

    /** Every fileset recorded for a clientPath, with its image count, oldest first. */
    public List<Known> filesetsByClientPath(String user, String clientPath) throws IOException {
        List<Known> out = new ArrayList<>();
        for (String[] row : hql(user, "select fe.fileset.id, count(i) from FilesetEntry fe left join fe.fileset.images i"
            + " where fe.clientPath = " + Hql.string(clientPath) + " group by fe.fileset.id order by fe.fileset.id")) {
            if (row.length == 2) {
                out.add(new Known(Long.parseLong(row[0]), Long.parseLong(row[1])));
            }
        }
        return out;
    }

    public List<Long> imagesOf(String user, long fileset) throws IOException {
        List<Long> ids = new ArrayList<>();
        for (String[] row : hql(user, "select i.id from Image i where i.fileset.id = " + fileset)) {
            ids.add(Long.parseLong(row[0]));
        }
        return ids;
    }

    public void deleteFileset(String user, long id) throws IOException {
        List<String> a = new ArrayList<>(List.of("delete"));
        a.addAll(login(user));
        a.add("Fileset:" + id);
        ProcessRunner.Result r = run(a);
        if (!ImportOutput.deleted(r.out(), "Fileset:" + id)) {
            throw failure("omero delete Fileset:" + id + " (no 'omero.cmd.Delete2 Fileset:" + id + " ok')", r);
        }
    }

    /** In-place import of one unit as {@code user}; the result comes from the output, not the exit code. */
    public ImportOutput.Fileset importInPlace(String user, List<String> files, String target) throws IOException {
        return importInPlace(user, files, target, Map.of());
    }

    /** {@code annotations}: KEY=VALUE comment annotations in the namespace {@code rodsgate} on the new images. */
    public ImportOutput.Fileset importInPlace(String user, List<String> files, String target,
                                              Map<String, String> annotations) throws IOException {
        Path tmp = runner.privateDirectory("rodsgate-import-");
        Path out = tmp.resolve("out.yaml");
        Path errs = tmp.resolve("errs.txt");
        try {
            List<String> a = new ArrayList<>(List.of("import"));
            a.addAll(login(user));
            a.addAll(List.of("--transfer=ln_s", "--output=yaml", "--file", out.toString(), "--errs", errs.toString(),
                "--checksum-algorithm=" + s.checksum()));
            if (target != null && !target.isEmpty()) {
                a.addAll(List.of("-T", target));
            }
            annotations.forEach((k, v) -> a.addAll(List.of("--annotation-ns", "rodsgate", "--annotation-text",
                k + "=" + v)));
            a.add("--");
            a.addAll(files);
            ProcessRunner.Result r = run(a);
            String yaml = Files.exists(out) ? Files.readString(out) : r.out();
            String summary = (Files.exists(errs) ? Files.readString(errs) : "") + r.err();
            List<ImportOutput.Fileset> sets = ImportOutput.filesets(yaml);
            ImportOutput.Summary sum = ImportOutput.summary(summary);
            int errors = sum == null ? -1 : sum.errors();
            if (sets.isEmpty() || errors != 0 || sets.stream().anyMatch(f -> f.images().isEmpty())) {
                throw failure("omero import of " + files.get(0) + " (filesets " + sets.size() + ", errors "
                    + errors + ")", r);
            }
            if (sum.filesets() != sets.size()) { // the yaml was cut short: what it lists is not the whole result
                throw failure("omero import of " + files.get(0) + " (the summary counts " + sum.filesets()
                    + " filesets, the yaml lists " + sets.size() + ")", r);
            }
            if (sets.size() > 1) {
                LOG.warning("import of " + files.get(0) + " made " + sets.size() + " filesets; recording the first");
            }
            return sets.get(0);
        } finally {
            removeTree(tmp);
        }
    }

    /** Removes a temporary directory and whatever omero left in it (no links are followed). */
    static void removeTree(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Long tagId;

    /** The id of the tag (found, or created once). */
    public synchronized long tag(String user) throws IOException {
        if (tagId != null) {
            return tagId;
        }
        List<String[]> found = hql(user, "select t.id from TagAnnotation t where t.textValue = " + Hql.string(s.tag())
            + " order by t.id");
        if (!found.isEmpty()) {
            return tagId = Long.parseLong(found.get(0)[0]);
        }
        List<String> n = new ArrayList<>(List.of("obj"));
        n.addAll(login(user));
        n.addAll(List.of("new", "TagAnnotation", "textValue=" + s.tag(), "ns=rodsgate"));
        ProcessRunner.Result c = run(n);
        if (c.exit() != 0 || !c.out().strip().startsWith("TagAnnotation:")) {
            throw failure("creating tag " + s.tag(), c);
        }
        return tagId = Long.parseLong(c.out().strip().substring("TagAnnotation:".length()));
    }

    /** Links a tag to an image unless the link exists. */
    public void link(String user, long image, long annotation) throws IOException {
        link(user, image, "TagAnnotation", annotation);
    }

    /** Links an annotation of {@code kind} (TagAnnotation, MapAnnotation...) to an image unless the link exists. */
    public void link(String user, long image, String kind, long annotation) throws IOException {
        if (!hql(user, "select l.id from ImageAnnotationLink l where l.parent.id = " + image + " and l.child.id = "
            + annotation).isEmpty()) {
            return;
        }
        List<String> a = new ArrayList<>(List.of("obj"));
        a.addAll(login(user));
        a.addAll(List.of("new", "ImageAnnotationLink", "parent=Image:" + image, "child=" + kind + ":" + annotation));
        ProcessRunner.Result c = run(a);
        if (c.exit() != 0) {
            throw failure("linking Image:" + image, c);
        }
    }
}
