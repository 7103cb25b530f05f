package org.rodsgate.omero;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what the `omero` command prints, in the forms OMERO's own source writes them (success is judged from these,
 * never from an exit code):
 * <ul>
 * <li>{@code import --output=yaml}: per fileset a document {@code ---} / {@code - Fileset: N} / then one line
 *     {@code   Kind: [id,id]} per kind of object (Image, Plate, ...; ids joined by "," without spaces, kinds in no fixed
 *     order) — {@code LoggingImportMonitor.ImportSummary.outputYamlResults} (ome/openmicroscopy
 *     components/blitz/src/ome/formats/importer/cli/LoggingImportMonitor.java, now ome/omero-blitz);</li>
 * <li>the summary on stderr: {@code ==> Summary} then {@code N file(s) uploaded, N fileset(s)[, N plate(s)] created,
 *     N image(s) imported, N error(s) in H:mm:ss.SSS}, each noun singular when its count is 1 and plural otherwise
 *     ({@code ImportSummary.report()} and {@code entityCountToString}, same file);</li>
 * <li>{@code import -f}: per group {@code #======================================}, {@code # Group: KEY SPW: BOOL
 *     Reader: CLASS}, then one used file per line, verbatim ({@code ImportCandidates.print()}, ome/omero-blitz
 *     src/main/java/ome/formats/importer/ImportCandidates.java);</li>
 * <li>{@code hql --style plain}: one CSV row per result ({@code csv.writer}, so "\r\n" ends each row and fields
 *     holding a comma or quote are quoted), the first field the row index; nothing but an empty line for no rows
 *     ({@code PlainStyle} in ome/omero-py src/omero/util/text.py, {@code HqlControl.display} in
 *     src/omero/plugins/hql.py);</li>
 * <li>{@code delete Class:ID}: stdout {@code omero.cmd.Delete2 Class:ID } then {@code ok} on success; on failure
 *     stdout stops after the object and the error goes to stderr, exit code 0 either way
 *     ({@code CmdControl.print_report} and {@code GraphControl.print_request_description}, ome/omero-py
 *     src/omero/cli.py).</li>
 * </ul>
 */
public final class ImportOutput {
    public record Fileset(long id, List<Long> images) {}

    /** The summary line: counts of files, filesets, plates (0 when absent), images and errors. */
    public record Summary(int files, int filesets, int plates, int images, int errors) {}

    private static final Pattern FILESET = Pattern.compile("^- Fileset: (\\d+)$");
    private static final Pattern KIND = Pattern.compile("^  ([A-Za-z]+): \\[([0-9,]*)\\]$");
    private static final Pattern SUMMARY = Pattern.compile("^(\\d+) (files?) uploaded, (\\d+) (filesets?)"
        + "(?:, (\\d+) (plates?))? created, (\\d+) (images?) imported, (\\d+) (errors?) in \\d+:\\d\\d:\\d\\d\\.\\d{3}$");

    private ImportOutput() {}

    /** The filesets of {@code --output=yaml} output, in order; an item without an Image line has no images. */
    public static List<Fileset> filesets(String yaml) {
        List<Fileset> out = new ArrayList<>();
        Long fileset = null;
        List<Long> images = new ArrayList<>();
        for (String raw : yaml.split("\n", -1)) {
            String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
            Matcher f = FILESET.matcher(line);
            Matcher k = KIND.matcher(line);
            if (line.equals("---") || f.matches()) {
                if (fileset != null) {
                    out.add(new Fileset(fileset, List.copyOf(images)));
                }
                fileset = f.matches() ? Long.valueOf(f.group(1)) : null;
                images = new ArrayList<>();
            } else if (k.matches() && fileset != null && k.group(1).equals("Image")) {
                for (String s : k.group(2).split(",")) {
                    if (!s.isEmpty()) {
                        images.add(Long.parseLong(s));
                    }
                }
            }
        }
        if (fileset != null) {
            out.add(new Fileset(fileset, List.copyOf(images)));
        }
        return out;
    }

    /**
     * The last summary in the importer's stderr, or null when there is none (the importer died before it). A line
     * whose nouns do not agree with their counts (e.g. {@code 1 images}) is not OMERO's and is not taken.
     */
    public static Summary summary(String stderr) {
        Summary last = null;
        for (String raw : stderr.split("\n")) {
            Matcher m = SUMMARY.matcher(raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw);
            if (!m.matches()) {
                continue;
            }
            boolean agrees = true;
            for (int g = 1; g <= 9; g += 2) {
                if (m.group(g) != null) {
                    agrees &= m.group(g + 1).endsWith("s") == !m.group(g).equals("1");
                }
            }
            if (agrees) {
                last = new Summary(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)),
                    m.group(5) == null ? 0 : Integer.parseInt(m.group(5)), Integer.parseInt(m.group(7)),
                    Integer.parseInt(m.group(9)));
            }
        }
        return last;
    }

    /** The error count of the summary, or -1 when there is no summary. */
    public static int summaryErrors(String stderr) {
        Summary s = summary(stderr);
        return s == null ? -1 : s.errors();
    }

    /**
     * `-f` output: the groups of files, each as printed (used files, the key file first). Lines are taken verbatim —
     * a name may begin or end with spaces — and only absolute paths count as files (the importer is given absolute
     * paths; log lines that might reach stdout are not paths).
     */
    public static List<List<String>> groups(String out) {
        List<List<String>> groups = new ArrayList<>();
        List<String> cur = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("#======")) {
                cur = null;
            } else if (line.startsWith("# Group: ")) {
                cur = new ArrayList<>();
                groups.add(cur);
            } else if (line.startsWith("/") && cur != null) {
                cur.add(line);
            }
        }
        groups.removeIf(List::isEmpty);
        return groups;
    }

    /**
     * `hql --style plain` rows, each as its fields without the leading row index. A record ends at a line break outside
     * quotes: csv.writer quotes a field holding a line break, a comma or a quote, so a value may span lines.
     */
    public static List<List<String>> plainRows(String out) {
        List<List<String>> rows = new ArrayList<>();
        StringBuilder record = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i <= out.length(); i++) {
            char c = i < out.length() ? out.charAt(i) : '\n';
            if (c == '"') {
                quoted = !quoted;          // a doubled quote toggles twice: the state is right again after it
            }
            if (c == '\n' && !quoted) {
                String line = record.toString();
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                record.setLength(0);
                if (!line.isEmpty()) {
                    List<String> f = csv(line);
                    if (f.size() >= 2 && f.get(0).matches("\\d+")) {
                        rows.add(f.subList(1, f.size()));
                    }
                }
            } else {
                record.append(c);
            }
        }
        return rows;
    }

    /** One CSV record as Python's csv.writer (excel dialect) writes it: quoted when needed, "" for a quote. */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }

    /** Whether {@code omero delete Class:id} reported success on stdout ({@code omero.cmd.Delete2 Class:id ok}). */
    public static boolean deleted(String stdout, String object) {
        for (String raw : stdout.split("\n")) {
            String line = raw.strip();
            if (line.matches("omero\\.cmd\\.Delete2 (.* )?" + Pattern.quote(object) + "( .*)? ok")) {
                return true;
            }
        }
        return false;
    }
}
