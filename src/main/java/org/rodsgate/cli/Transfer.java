package org.rodsgate.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.FileUpload;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;

/**
 * Whole-file transfers between a local file and a data object, over one connection with large sequential
 * reads and writes. Neither direction leaves a short file behind that looks complete: a download goes to
 * {@code FILE.part} and is renamed when its size matches; a new upload goes to a temporary object renamed at the
 * end; an overwrite is checked by size afterwards.
 */
final class Transfer {
    static final int BUFFER = FileUpload.BUFFER;

    private Transfer() {}

    static long get(IrodsSession s, String src, Path dst) throws IOException {
        ObjStat st = s.stat(src);
        if (st.isCollection()) {
            throw new IrodsException(ErrorCode.CAT_NAME_EXISTS_AS_COLLECTION.code, src + " is a collection");
        }
        Path part = dst.resolveSibling(dst.getFileName() + ".part");
        byte[] buf = new byte[BUFFER];
        long total = 0;
        IrodsSession.OpenFile f = s.open(src, IrodsSession.O_RDONLY);
        if (f.replStatus() >= 0 && f.replStatus() != 1) {
            closeQuietly(s, f.fd());
            throw new IrodsException(ErrorCode.SYS_REPLICA_INACCESSIBLE.code, src + " has no complete replica"
                + " (replica status " + f.replStatus() + ": an upload did not finish, or one is in progress)");
        }
        try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
            int n;
            while ((n = s.read(f.fd(), buf, 0, buf.length)) > 0) {
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
                while (bb.hasRemaining()) {
                    out.write(bb);
                }
                total += n;
            }
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        } finally {
            closeQuietly(s, f.fd());
        }
        if (total != st.size()) {
            Files.deleteIfExists(part);
            throw new IOException("download of " + src + " ended after " + total + " of " + st.size() + " bytes");
        }
        Files.move(part, dst, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return total;
    }

    static long put(IrodsSession s, Path src, String dst, boolean overwrite) throws IOException {
        return put(s, src, dst, overwrite, true);
    }

    /**
     * Uploads; with {@code checksum} (the default, as {@code iput -K}) the local file's SHA-256 is computed while it
     * is sent, iRODS computes and stores its own at the end (DATA_OBJ_CHKSUM), and the two must agree, else the
     * upload fails with USER_CHKSUM_MISMATCH (a new object's temporary upload is removed).
     */
    static long put(IrodsSession s, Path src, String dst, boolean overwrite, boolean checksum) throws IOException {
        long size = Files.size(src);
        ObjStat existing = s.statOrNull(dst);
        if (existing != null && existing.isCollection()) {
            throw new IrodsException(ErrorCode.CAT_NAME_EXISTS_AS_COLLECTION.code, dst + " is a collection");
        }
        if (existing != null && !overwrite) {
            throw new IrodsException(ErrorCode.OVERWRITE_WITHOUT_FORCE_FLAG.code, dst
                + " exists; use -f to overwrite it");
        }
        String target = existing == null
            ? Paths.join(Paths.parent(dst), "." + Paths.name(dst) + ".rodsgate-part-" + ProcessHandle.current().pid())
            : dst;
        MessageDigest sha = checksum ? sha256() : null;
        long written = upload(s, src, target, !target.equals(dst), sha);
        if (sha != null) {
            String local = "sha2:" + Base64.getEncoder().encodeToString(sha.digest());
            String remote = s.checksum(target, true);
            if (!local.equals(remote)) {
                if (!target.equals(dst)) {
                    s.unlink(target);
                }
                throw new IrodsException(ErrorCode.USER_CHKSUM_MISMATCH.code, "put " + dst + ": iRODS computed "
                    + remote + " but " + src + " has " + local + " (USER_CHKSUM_MISMATCH)");
            }
        }
        if (!target.equals(dst)) {
            s.rename(target, dst, false);
        }
        ObjStat after = s.stat(dst);
        if (after.size() != written || written != size) {
            throw new IOException("upload of " + src + " to " + dst + " is incomplete: iRODS has " + after.size()
                + " of " + size + " bytes");
        }
        return written;
    }

    /** Writes {@code src} to {@code target}; on failure a {@code temporary} target is removed again. */
    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static long upload(IrodsSession s, Path src, String target, boolean temporary, MessageDigest sha)
        throws IOException {
        IrodsSession.OpenFile f = s.create(target);
        long total;
        boolean ok = false;
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
            total = FileUpload.send(s, f.fd(), in, 0, new byte[BUFFER], sha == null ? null : sha::update);
            s.close(f.fd());
            ok = true;
        } finally {
            if (!ok) {
                closeQuietly(s, f.fd());
                if (temporary) {
                    try {
                        s.unlink(target);
                    } catch (IrodsException ignored) {
                        // the connection may be gone; the temporary object keeps its tell-tale name
                    }
                }
            }
        }
        return total;
    }

    private static void closeQuietly(IrodsSession s, int fd) {
        try {
            s.close(fd);
        } catch (IrodsException ignored) {
            // the descriptor dies with the connection anyway
        }
    }
}
