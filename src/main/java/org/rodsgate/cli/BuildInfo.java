package org.rodsgate.cli;

import java.io.IOException;
import java.util.jar.Manifest;
import picocli.CommandLine.IVersionProvider;

/**
 * Names the build that is running: {@code rodsgate VERSION (commit C, built T)}, read from the jar's manifest
 * ({@code Implementation-Version}, {@code Build-Commit}, {@code Build-Time}, written by the shade plugin in
 * {@code pom.xml}). Outside a jar (tests from {@code target/classes}) it says {@code development build}.
 */
public final class BuildInfo implements IVersionProvider {
    @Override
    public String[] getVersion() {
        return new String[] {describe()};
    }

    /** One line naming this build; never throws. */
    public static String describe() {
        Manifest m = manifest();
        String version = m == null ? null : m.getMainAttributes().getValue("Implementation-Version");
        if (version == null) return "rodsgate (development build, not from a packaged jar)";
        String commit = m.getMainAttributes().getValue("Build-Commit");
        String time = m.getMainAttributes().getValue("Build-Time");
        return "rodsgate " + version + " (commit " + (commit == null || commit.isBlank() ? "unknown" : commit)
            + ", built " + (time == null ? "unknown" : time) + ")";
    }

    private static Manifest manifest() {
        try {
            var source = BuildInfo.class.getProtectionDomain().getCodeSource();
            if (source == null) return null;
            java.nio.file.Path path = java.nio.file.Path.of(source.getLocation().toURI());
            if (!java.nio.file.Files.isRegularFile(path)) return null;
            try (var jar = new java.util.jar.JarFile(path.toFile())) {
                return jar.getManifest();
            }
        } catch (IOException | java.net.URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
