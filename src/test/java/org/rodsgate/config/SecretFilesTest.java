package org.rodsgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 10 inputs 10 and 11: secret files private from creation; open ones refused with the chmod to run. */
class SecretFilesTest {
    @TempDir
    Path dir;

    static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aWorldReadablePasswordFileIsRefusedNamingTheChmod() throws Exception {
        Path pw = dir.resolve("omero.pw");
        Files.writeString(pw, "secret\n");
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-r--r--"));
        ConfigException e = assertThrows(ConfigException.class, () -> SecretFiles.readPrivate(pw, "omero.password_file"));
        assertEquals("omero.password_file " + pw + " is readable or writable by group or others (mode 0644): run 'chmod 600 " + pw
            + "', or set RODSGATE_ALLOW_OPEN_SECRET_FILES=1 to use it anyway", e.getMessage());
        Files.setPosixFilePermissions(pw, PosixFilePermissions.fromString("rw-------"));
        assertEquals("secret", SecretFiles.readPrivate(pw, "omero.password_file"));
    }

    @Test
    void privateFilesAndDirectoriesAreCreatedPrivate() throws Exception {
        Path d = SecretFiles.createPrivateDirectories(dir.resolve("a/b"));
        assertEquals("rwx------", mode(d));
        assertEquals("rwx------", mode(dir.resolve("a")));
        assertEquals("rw-------", mode(SecretFiles.createPrivateFile(d.resolve("catalog.db"))));
    }

    @Test
    void writingASecretOverAnOpenFileLeavesItPrivate() throws Exception {
        Path a = dir.resolve(".irodsA");
        Files.writeString(a, "old");
        Files.setPosixFilePermissions(a, PosixFilePermissions.fromString("rw-r--r--"));
        SecretFiles.writePrivate(a, "new", StandardCharsets.UTF_8);
        assertEquals("rw-------", mode(a));
        assertEquals("new", Files.readString(a));
        try (var s = Files.list(dir)) {
            assertTrue(s.allMatch(p -> p.getFileName().toString().equals(".irodsA")), "no temporary file left");
        }
    }
}
