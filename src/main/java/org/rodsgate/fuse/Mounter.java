package org.rodsgate.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * Mounting and unmounting: clears a stale mount left by a crash, refuses a non-empty mount point unless told,
 * and declares the mount ready only after a probe went through the kernel into the filesystem.
 */
public final class Mounter {
    private static final Logger LOG = Logger.getLogger(Mounter.class.getName());

    /** Kernel-facing options, declared once. */
    public record Options(boolean allowOther, boolean allowNonEmpty, double entryTimeout, double attrTimeout,
                          double negativeTimeout) {
        List<String> fuseArgs() {
            List<String> o = new ArrayList<>(List.of("fsname=rodsgate", "subtype=rodsgate", "use_ino", "big_writes",
                "max_read=131072", "max_write=131072", "entry_timeout=" + entryTimeout,
                "attr_timeout=" + attrTimeout, "negative_timeout=" + negativeTimeout));
            if (allowOther) {
                o.add("allow_other");
            }
            if (allowNonEmpty) {
                o.add("nonempty");
            }
            return System.getenv("RODSGATE_FUSE_SINGLE") != null ? List.of("-s", "-o", String.join(",", o)) : List.of("-o", String.join(",", o));
        }
    }

    private Mounter() {}

    public static void mount(FuseAdapter fs, Path mnt, Options options) throws IOException {
        Path m = mnt.toAbsolutePath().normalize();
        clearStale(m);
        if (!Files.exists(m)) {
            Files.createDirectories(m);
        }
        if (!Files.isDirectory(m)) {
            throw new IOException("mount point " + m + " is not a directory");
        }
        if (!options.allowNonEmpty()) {
            try (Stream<Path> s = Files.list(m)) {
                if (s.findAny().isPresent()) {
                    throw new IOException("mount point " + m + " is not empty (use --allow-non-empty to mount over it)");
                }
            }
        }
        long before = fs.rootGetattrs();
        try {
            fs.mount(m, false, false, options.fuseArgs().toArray(new String[0]));
        } catch (RuntimeException e) {
            throw new IOException("FUSE mount of " + m + " failed: " + e.getMessage()
                + (e.getCause() != null ? " (" + e.getCause().getMessage() + ")" : ""), e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (isMounted(m)) {
                try {
                    Files.readAttributes(m, "unix:ino");
                } catch (IOException | UnsupportedOperationException e) {
                    // in per-user mode the prober (this process's user) may have no iRODS identity: what counts is
                    // that the request went through the kernel into the filesystem
                    LOG.fine("probe: " + e.getMessage());
                }
                if (fs.rootGetattrs() > before) {
                    return;
                }
            }
            sleep(50);
        }
        unmount(m);
        throw new IOException("FUSE mount of " + m + " did not answer a probe within 20 s");
    }

    /**
     * A mount left behind by a crashed daemon answers "Transport endpoint is not connected": unmount it. The probe
     * opens the directory, which always reaches the daemon (the kernel may still answer a stat of the mount point
     * from its attribute cache for a few seconds after the daemon died).
     */
    static void clearStale(Path m) throws IOException {
        try {
            Files.readAttributes(m, "unix:ino");
            if (isMounted(m)) {
                try (var d = Files.newDirectoryStream(m)) {
                    d.iterator().hasNext();
                }
            }
        } catch (FileSystemException e) {
            String reason = String.valueOf(e.getReason()) + " " + e.getMessage();
            if (reason.contains("not connected") && isMounted(m)) {
                LOG.warning("clearing a stale mount at " + m + " (" + e.getReason() + ")");
                if (!fusermount("-u", "-z", m.toString())) {
                    throw new IOException("cannot clear the stale mount at " + m + "; run: fusermount -u -z " + m);
                }
            }
        }
    }

    public static boolean isMounted(Path m) {
        try {
            String target = m.toAbsolutePath().normalize().toString().replace(" ", "\\040");
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].equals(target)) {
                    return true;
                }
            }
        } catch (IOException e) {
            LOG.fine("mountinfo: " + e.getMessage());
        }
        return false;
    }

    public static void unmount(Path mnt) throws IOException {
        Path m = mnt.toAbsolutePath().normalize();
        if (!isMounted(m)) {
            throw new IOException(m + " is not mounted");
        }
        if (!fusermount("-u", m.toString()) && !fusermount("-u", "-z", m.toString())) {
            throw new IOException("cannot unmount " + m + " (busy?)");
        }
    }

    private static boolean fusermount(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("fusermount");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                LOG.fine("fusermount " + String.join(" ", args) + ": " + out);
            }
            return ok;
        } catch (IOException e) {
            LOG.warning("fusermount not available: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
