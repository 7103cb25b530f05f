package org.rodsgate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Files that hold secrets or other users' data. Such files are created private from the start (0600, directories
 * 0700: the mode is given to the system call that creates them, never set by a chmod afterwards, so no other local
 * user can open them in between). Secret files rodsgate reads (.irodsA, omero.password_file, a config with an
 * inline password) are refused when group or others may read them, with one line naming the file and the chmod to
 * run, as ssh does for private keys; {@value #OVERRIDE_ENV}=1 uses them anyway, with a warning.
 */
public final class SecretFiles {
    private static final Logger LOG = Logger.getLogger(SecretFiles.class.getName());
    /** The explicit override: set to 1 to use a secret file that group or others may read. */
    public static final String OVERRIDE_ENV = "RODSGATE_ALLOW_OPEN_SECRET_FILES";
    private static final Set<PosixFilePermission> OPEN = Set.of(PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);

    private SecretFiles() {}

    /** 0600, for {@link Files#createFile} and friends. */
    public static FileAttribute<Set<PosixFilePermission>> privateFile() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    }

    /** 0700, for {@link Files#createDirectory} and friends. */
    public static FileAttribute<Set<PosixFilePermission>> privateDir() {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    }

    /** Creates {@code dir} and missing parents of it; the ones created here are 0700. Existing ones are left. */
    public static Path createPrivateDirectories(Path dir) throws IOException {
        Path abs = dir.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            return dir;
        }
        if (abs.getParent() != null) {
            createPrivateDirectories(abs.getParent());
        }
        try {
            Files.createDirectory(abs, privateDir());
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(abs)) {
                throw e;
            }
        }
        return dir;
    }

    /** Creates a new empty file, 0600 from the start; fails if it exists. */
    public static Path createPrivateFile(Path file) throws IOException {
        return Files.createFile(file, privateFile());
    }

    /**
     * Writes {@code text} to {@code file} through a new 0600 file in the same directory renamed over it, so the
     * secret is never in a file anyone else could open, even when {@code file} existed with a wider mode.
     */
    public static void writePrivate(Path file, String text, java.nio.charset.Charset cs) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp", privateFile());
        try {
            Files.writeString(tmp, text, cs);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Refuses a secret file that group or others may read or write (unless {@value #OVERRIDE_ENV}=1):
     * {@code omero.password_file /etc/rodsgate/omero.pw is readable or writable by group or others (mode 0644): run
     * 'chmod 600 /etc/rodsgate/omero.pw', or set RODSGATE_ALLOW_OPEN_SECRET_FILES=1 to use it anyway}.
     */
    public static void requirePrivate(Path file, String what) throws ConfigException {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException e) {
            return; // not a POSIX filesystem: nothing to check
        } catch (IOException e) {
            return; // reading the file will report why it cannot be used
        }
        if (perms.stream().noneMatch(OPEN::contains)) {
            return;
        }
        String line = what + " " + file + " is readable or writable by group or others (mode " + octal(perms)
            + "): run 'chmod 600 " + file + "', or set " + OVERRIDE_ENV + "=1 to use it anyway";
        if ("1".equals(System.getenv(OVERRIDE_ENV))) {
            LOG.warning(line.substring(0, line.indexOf(": run")) + "; used because " + OVERRIDE_ENV + "=1");
            return;
        }
        throw new ConfigException(line);
    }

    /** Reads a secret file after {@link #requirePrivate}; the text without surrounding whitespace. */
    public static String readPrivate(Path file, String what) throws ConfigException {
        requirePrivate(file, what);
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    private static String octal(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) {
            m |= 1 << (8 - p.ordinal());
        }
        return String.format("%04o", m);
    }
}
