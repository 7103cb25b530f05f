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

    /** How long a mount point may take to answer the stale-mount probe (a daemon being torn down). */
    static final long PROBE_MILLIS = 5000;

    /**
     * A mount left behind by a crashed daemon answers "Transport endpoint is not connected": it is detached
     * (fusermount -u -z, else umount -l) and we wait until the kernel no longer lists it. The probe opens the
     * directory, which always reaches the daemon (the kernel may still answer a stat of the mount point from its
     * attribute cache for a few seconds after the daemon died). A mount point that does not answer within
     * {@link #PROBE_MILLIS} (a daemon that is stopped, or still being torn down) is reported, not mounted over.
     */
    static void clearStale(Path m) throws IOException {
        java.util.concurrent.CompletableFuture<String> probe = java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
                try {
                    Files.readAttributes(m, "unix:ino");
                    if (isMounted(m)) {
                        try (var d = Files.newDirectoryStream(m)) {
                            d.iterator().hasNext();
                        }
                    }
                    return null;
                } catch (FileSystemException e) {
                    return String.valueOf(e.getReason()) + " " + e.getMessage();
                } catch (IOException | RuntimeException e) {
                    String reason = e.getCause() instanceof FileSystemException f
                        ? String.valueOf(f.getReason()) + " " + f.getMessage() : null;
                    return reason;
                }
            }, r -> {
                Thread t = new Thread(r, "stale-mount-probe");
                t.setDaemon(true);
                t.start();
            });
        String reason;
        try {
            reason = probe.get(PROBE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IOException("mount point " + m + " does not answer within " + PROBE_MILLIS / 1000 + " s (a "
                + "stopped FUSE daemon?); unmount it with: fusermount -u -z " + m);
        } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
            reason = null;
        }
        if (reason == null || !reason.contains("not connected") || !isMounted(m)) {
            return;
        }
        LOG.warning("clearing a stale mount at " + m + " (" + reason.strip() + ")");
        if (!fusermount("-u", "-z", m.toString()) && !run("umount", "-l", m.toString())) {
            throw new IOException("cannot clear the stale mount at " + m + "; run: fusermount -u -z " + m);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
        while (isMounted(m) && System.nanoTime() < deadline) {
            sleep(50);
        }
        if (isMounted(m)) {
            throw new IOException("the stale mount at " + m + " is still listed after " + PROBE_MILLIS / 1000
                + " s of kernel teardown");
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
        return run(cmd.toArray(new String[0]));
    }

    private static boolean run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
            if (!ok) {
                LOG.fine(String.join(" ", cmd) + ": " + out);
            }
            return ok;
        } catch (IOException e) {
            LOG.warning(cmd[0] + " not available: " + e.getMessage());
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
