package org.rodsgate.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A running daemon's status, answered on a Unix domain socket that only its owner can reach: the socket lives in a
 * directory of mode 0700 ({@code /run/rodsgate} for root, else {@code $XDG_RUNTIME_DIR/rodsgate} or
 * {@code /tmp/rodsgate-UID}), named after what it serves ({@code mount-<sha256 of the mount point, 16 hex>.sock},
 * {@code sandbox-<sha256 of its directory, 16 hex>.sock}).
 * A client connects and reads one JSON document; the server answers one client at a time on one daemon thread.
 */
public final class StatusSocket implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(StatusSocket.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServerSocketChannel server;
    private final Path path;
    private final Thread thread;

    private StatusSocket(ServerSocketChannel server, Path path, Supplier<Map<String, Object>> status) {
        this.server = server;
        this.path = path;
        this.thread = new Thread(() -> serve(status), "rodsgate-status");
        thread.setDaemon(true);
        thread.start();
    }

    /** The socket path for a mount point (absolute, normalised) in this user's runtime directory. */
    public static Path forMount(Path mountPoint) {
        return runtimeDir().resolve("mount-" + digest(mountPoint.toAbsolutePath().normalize().toString()) + ".sock");
    }

    /** The socket path for a sandbox by its directory (absolute, normalised) in this user's runtime directory. */
    public static Path forSandbox(Path dir) {
        return runtimeDir().resolve("sandbox-" + digest(dir.toAbsolutePath().normalize().toString()) + ".sock");
    }

    /** Starts answering at {@code path}; a socket left by a dead daemon is replaced. */
    public static StatusSocket start(Path path, Supplier<Map<String, Object>> status) throws IOException {
        Path dir = path.getParent();
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        // another user may have made it first (a shared /tmp): use it only if it is ours and private
        var attrs = Files.readAttributes(dir, java.nio.file.attribute.PosixFileAttributes.class,
            java.nio.file.LinkOption.NOFOLLOW_LINKS);
        if (!attrs.owner().getName().equals(System.getProperty("user.name"))
            || !attrs.permissions().equals(PosixFilePermissions.fromString("rwx------"))) {
            throw new IOException("status directory " + dir + " is not private to " + System.getProperty("user.name")
                + " (owner " + attrs.owner().getName() + ", " + PosixFilePermissions.toString(attrs.permissions())
                + "): remove it or fix it with chmod 700");
        }
        Files.deleteIfExists(path);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(path));
        return new StatusSocket(s, path, status);
    }

    /** Reads the status a running daemon serves at {@code path}. */
    public static String read(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("no status socket at " + path + " (is it running, as this user?)");
        }
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            return new String(readAll(c), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(SocketChannel c) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (c.read(buf) >= 0) {
            out.write(buf.array(), 0, buf.position());
            buf.clear();
            if (out.size() > 4 << 20) {
                throw new IOException("status larger than 4 MiB");
            }
        }
        return out.toByteArray();
    }

    private void serve(Supplier<Map<String, Object>> status) {
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                byte[] body = JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(status.get());
                ByteBuffer b = ByteBuffer.wrap(body);
                while (b.hasRemaining()) {
                    c.write(b);
                }
            } catch (IOException | RuntimeException e) {
                if (server.isOpen()) {
                    LOG.fine("status request: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(path);
        } catch (IOException e) {
            LOG.fine("closing the status socket: " + e);
        }
    }

    static Path runtimeDir() {
        long uid = org.rodsgate.config.IrodsEnvironment.currentUid();
        if (uid == 0) {
            return Path.of("/run/rodsgate");
        }
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        return xdg != null && !xdg.isBlank() ? Path.of(xdg, "rodsgate") : Path.of("/tmp", "rodsgate-" + uid);
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
