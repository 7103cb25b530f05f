package org.rodsgate.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.rodsgate.config.ConfigException;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsException;
import picocli.CommandLine;

/**
 * Turns any failure into one line for a person, and an exit status. The exit statuses of every command are decided
 * here and nowhere else (README "Commands"): {@link #OK}, {@link #USAGE}, {@link #NOT_FOUND}, else {@link #FAILED}.
 */
final class Failures {
    /** Success. */
    static final int OK = 0;
    /** Anything else: the operation was tried and failed (server, permission, conflict, I/O...). */
    static final int FAILED = 1;
    /**
     * Usage or configuration: an option or argument the command cannot take (picocli's own errors included), or a
     * config, environment or password file that is missing or wrong. Nothing was done.
     */
    static final int USAGE = 2;
    /** Not found: the iRODS path, or the local file or directory given, does not exist. */
    static final int NOT_FOUND = 3;

    private Failures() {}

    static String describe(Throwable e) {
        if (e instanceof IrodsException ie) {
            String m = ie.getMessage();
            String name = ie.codeName();
            return name.isEmpty() || m.contains(name) ? m : m + " (" + name + ")";
        }
        if (e instanceof ConfigException) {
            return e.getMessage();
        }
        // java.nio's own messages name only the file ("rodsgate: /x/y"): say what is wrong with it
        if (e instanceof Missing) {
            return e.getMessage();
        }
        if (e instanceof NoSuchFileException f) {
            return fileMessage(f.getFile(), f.getReason(), "no such file or directory");
        }
        if (e instanceof AccessDeniedException f) {
            return fileMessage(f.getFile(), f.getReason(), "permission denied");
        }
        if (e instanceof FileAlreadyExistsException f) {
            return fileMessage(f.getFile(), f.getReason(), "already exists");
        }
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    private static String fileMessage(String file, String reason, String dflt) {
        return file + ": " + (reason == null || reason.isBlank() ? dflt : reason);
    }

    static int exitCode(Throwable e) {
        if (e instanceof ConfigException || e instanceof UsageException
            || e instanceof CommandLine.ParameterException) {
            return USAGE;
        }
        if (e instanceof NoSuchFileException) {
            return NOT_FOUND;
        }
        if (e instanceof IrodsException ie && (ie.isNotFound() || ie.errno() == Errno.ENODATA.value)) {
            return NOT_FOUND;
        }
        return FAILED;
    }

    /** An option or argument the command cannot take; thrown before anything is done. Exit status {@link #USAGE}. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }

    /**
     * Fails with {@link Missing} ({@link #NOT_FOUND}: "OP PATH: REASON") when nothing is at
     * {@code p}. A path that is there but cannot be looked at (a stale FUSE mount answers ENOTCONN) passes: the
     * command itself deals with it.
     */
    static void requireExists(Path p, String op, String reason) throws NoSuchFileException {
        try {
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new Missing(op, p, reason);
        } catch (IOException e) {
            // there, but not readable now
        }
    }

    /** A local file or directory a command was given that does not exist; exit status {@link #NOT_FOUND}. */
    static final class Missing extends NoSuchFileException {
        private final String op;

        Missing(String op, Path p, String reason) {
            super(p.toString(), null, reason);
            this.op = op;
        }

        @Override
        public String getMessage() {
            return op + " " + getFile() + ": " + getReason();
        }
    }

    /** Fails with {@link UsageException} unless {@code ok}. */
    static void require(boolean ok, String message) {
        if (!ok) {
            throw new UsageException(message);
        }
    }
}
