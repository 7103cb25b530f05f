package org.rodsgate.omero;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs commands as a given OS user: when this process is root it switches with {@code setpriv} (keeping the
 * environment, so that the password travels in {@code OMERO_PASSWORD}, never on a command line); otherwise the
 * user must be the current one. Output goes through temporary files, so large outputs cannot block the child.
 */
public final class SystemProcessRunner implements ProcessRunner {
    private final String osUser;

    public SystemProcessRunner(String osUser) {
        this.osUser = osUser;
    }

    @Override
    public Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException {
        List<String> cmd = new ArrayList<>();
        boolean root = "root".equals(System.getProperty("user.name"));
        if (osUser != null && !osUser.isEmpty() && root) {
            cmd.addAll(List.of("setpriv", "--reuid=" + osUser, "--regid=" + primaryGroup(osUser), "--init-groups", "--"));
        } else if (osUser != null && !osUser.isEmpty() && !osUser.equals(System.getProperty("user.name"))) {
            throw new IOException("cannot run omero as " + osUser + ": rodsgate runs as "
                + System.getProperty("user.name") + " and only root may switch users");
        }
        cmd.addAll(command);
        Path out = Files.createTempFile("rodsgate-omero-", ".out");
        Path err = Files.createTempFile("rodsgate-omero-", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            if (osUser != null && root) {
                pb.environment().put("HOME", home(osUser));
                pb.environment().put("USER", osUser);
            }
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException("omero did not finish within " + timeout.toSeconds() + " s: " + command.get(0)
                    + " " + (command.size() > 1 ? command.get(1) : ""));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running omero");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** As {@link ProcessRunner#privateDirectory}, then given to the OMERO OS user when omero runs as that user. */
    @Override
    public Path privateDirectory(String prefix) throws IOException {
        Path dir = ProcessRunner.super.privateDirectory(prefix);
        boolean root = "root".equals(System.getProperty("user.name"));
        if (osUser != null && !osUser.isEmpty() && root) {
            try {
                var lookup = dir.getFileSystem().getUserPrincipalLookupService();
                Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class,
                    java.nio.file.LinkOption.NOFOLLOW_LINKS).setOwner(lookup.lookupPrincipalByName(osUser));
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(dir);
                throw new IOException("cannot give " + dir + " to the OMERO OS user " + osUser + ": " + e.getMessage());
            }
        }
        return dir;
    }

    private static String getent(String user) throws IOException {
        try {
            Process p = new ProcessBuilder("getent", "passwd", user).start();
            String line = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0 || line.isEmpty()) {
                throw new IOException("no OS user " + user + " (omero.os_user)");
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }

    private static String primaryGroup(String user) throws IOException {
        return getent(user).split(":")[3];
    }

    private static String home(String user) throws IOException {
        String h = getent(user).split(":")[5];
        return Files.isDirectory(Path.of(h)) ? h : System.getProperty("java.io.tmpdir");
    }
}
