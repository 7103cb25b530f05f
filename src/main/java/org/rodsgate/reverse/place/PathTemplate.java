package org.rodsgate.reverse.place;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.rodsgate.irods.Paths;
import org.rodsgate.reverse.OmeroFileset;
import org.rodsgate.reverse.OmeroOriginalFile;

/**
 * The iRODS path of one file of a fileset from a rule's template ({@link PlacementRule#template()}). Placeholders:
 * {@code %zone%}, {@code %user%} (the iRODS user the OMERO owner maps to), {@code %omeroUser%} (the OMERO owner's
 * name), {@code %group%} (OMERO group), {@code %fileset%} (id), {@code %year%}, {@code %month%}, {@code %day%} (of the
 * fileset's creation, two digits, in the gateway's time zone), {@code %clientPath%} (FilesetEntry.clientPath: may
 * hold '/', so the client's directory tree is kept) and {@code %name%} (OriginalFile.name); {@code %%} is one literal
 * '%'. Values are never expanded again (a name holding {@code %name%} stays as it is) and are taken as they
 * are, byte for byte (quotes, spaces, any Unicode); only what would change the path's structure is refused with an
 * error naming the file: an unknown placeholder, a '/' inside a single-component value (user, group, name), '.' or
 * '..' as a component, a control character NUL, or a result that is not an absolute path below a zone.
 */
final class PathTemplate {
    private static final Pattern PLACEHOLDER = Pattern.compile("%%|%([A-Za-z]+)%");

    private PathTemplate() {}

    static String expand(String template, String zone, String irodsUser, OmeroFileset fs, OmeroOriginalFile f,
                         ZoneId tz) throws IOException {
        if (template == null || template.isBlank()) {
            throw new IOException("fileset " + fs.id() + ": the placement rule has no path template");
        }
        ZonedDateTime created = Instant.ofEpochMilli(fs.createdMillis()).atZone(tz);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("zone", orEmpty(zone));
        v.put("user", orEmpty(irodsUser));
        v.put("omeroUser", orEmpty(fs.owner()));
        v.put("group", orEmpty(fs.group()));
        v.put("fileset", Long.toString(fs.id()));
        v.put("year", String.format("%04d", created.getYear()));
        v.put("month", String.format("%02d", created.getMonthValue()));
        v.put("day", String.format("%02d", created.getDayOfMonth()));
        v.put("name", orEmpty(f.name()));
        String cp = f.clientPath() == null || f.clientPath().isEmpty() ? f.repoPath() : f.clientPath();
        v.put("clientPath", cp.startsWith("/") ? cp.substring(1) : cp);
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            if (m.group(1) == null) {
                m.appendReplacement(out, "%"); // %% is one literal '%'
                continue;
            }
            String val = v.get(m.group(1));
            if (val != null && !m.group(1).equals("clientPath")) {
                val = component(m.group(1), val, fs, f); // checked where used: an unused odd value does not matter
            }
            if (val == null) {
                throw new IOException("fileset " + fs.id() + ": unknown placeholder %" + m.group(1) + "% in path"
                    + " template " + template + " (known: %" + String.join("%, %", v.keySet()) + "%; a literal '%' is"
                    + " written %%)");
            }
            if (val.isEmpty()) {
                throw new IOException("fileset " + fs.id() + ", file " + f.repoPath() + ": %" + m.group(1)
                    + "% is empty, so path template " + template + " would give a shorter path");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(val));
        }
        m.appendTail(out);
        String p = out.toString();
        if (p.indexOf('\0') >= 0) {
            throw bad(fs, f, p, "it holds a NUL character");
        }
        String norm;
        try {
            norm = Paths.normalize(p);
        } catch (IllegalArgumentException e) {
            throw bad(fs, f, p, e.getMessage());
        }
        if (!norm.startsWith("/" + zone + "/") || norm.equals("/" + zone)) {
            throw bad(fs, f, p, "it is not below the zone /" + zone);
        }
        return norm;
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static String component(String what, String value, OmeroFileset fs, OmeroOriginalFile f)
        throws IOException {
        if (value == null || value.isEmpty()) {
            return "";
        }
        if (value.indexOf('/') >= 0) {
            throw new IOException("fileset " + fs.id() + ", file " + f.repoPath() + ": the " + what + " '" + value
                + "' holds a '/' and cannot be one path component");
        }
        return value;
    }

    private static IOException bad(OmeroFileset fs, OmeroOriginalFile f, String p, String why) {
        return new IOException("fileset " + fs.id() + ", file " + f.repoPath() + ": the path template gives '" + p
            + "', which is not a usable iRODS path: " + why);
    }
}
