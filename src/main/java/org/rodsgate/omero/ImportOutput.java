package org.rodsgate.omero;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads what `omero import --output=yaml` wrote: documents of {@code - Fileset: N} and {@code Image: [a, b]} (keys
 * in any order), and the summary's error count. Success is judged from these, never from the exit code.
 */
public final class ImportOutput {
    public record Fileset(long id, List<Long> images) {}

    private static final Pattern FILESET = Pattern.compile("Fileset:\\s*(\\d+)");
    private static final Pattern IMAGES = Pattern.compile("Image:\\s*\\[([0-9,\\s]*)\\]");
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) image\\(s\\) imported, (\\d+) error\\(s\\)");

    private ImportOutput() {}

    public static List<Fileset> filesets(String yaml) {
        List<Fileset> out = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            for (String item : doc.split("(?m)^- ")) {
                Matcher f = FILESET.matcher(item);
                Matcher i = IMAGES.matcher(item);
                if (f.find()) {
                    List<Long> ids = new ArrayList<>();
                    if (i.find()) {
                        for (String s : i.group(1).split(",")) {
                            if (!s.isBlank()) {
                                ids.add(Long.parseLong(s.trim()));
                            }
                        }
                    }
                    out.add(new Fileset(Long.parseLong(f.group(1)), ids));
                }
            }
        }
        return out;
    }

    /** The error count of the summary, or -1 when there is no summary (the importer died before it). */
    public static int summaryErrors(String stderr) {
        Matcher m = SUMMARY.matcher(stderr);
        int errors = -1;
        while (m.find()) {
            errors = Integer.parseInt(m.group(2));
        }
        return errors;
    }

    /** `-f` output: the groups of files, key file first. */
    public static List<List<String>> groups(String out) {
        List<List<String>> groups = new ArrayList<>();
        List<String> cur = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("#======")) {
                cur = null;
            } else if (line.startsWith("# Group:")) {
                cur = new ArrayList<>();
                groups.add(cur);
            } else if (!line.isBlank() && !line.startsWith("#") && cur != null) {
                cur.add(line.trim());
            }
        }
        return groups;
    }
}
