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
import org.rodsgate.fs.open.Baseline;
import org.rodsgate.fs.open.Replacement;
import org.rodsgate.irods.FileUpload;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.ObjStat;
import org.rodsgate.irods.Paths;

/**
 * Whole-file transfers between a local file and a data object, over one connection with large sequential
 * reads and writes. Neither direction leaves a short file behind that looks complete: a download goes to
 * {@code FILE.part} and is renamed when its size matches; a new upload goes to a temporary object renamed at the
 * end, only once the bytes read are as many as the file had when the upload began (a file that changes while it
 * is read is refused) and iRODS's checksum agrees; any failure before the rename removes the temporary object
 * (a dead connection leaves it, under its hidden tell-tale name). An overwrite ({@code -f}) goes the same way and
 * then replaces the object in one rename, carrying its AVUs and ACLs over ({@link Replacement#commit}): a failed
 * overwrite leaves the previous version whole.
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
     * upload fails with USER_CHKSUM_MISMATCH (the temporary upload is removed).
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
        String target = Paths.join(Paths.parent(dst), "." + Paths.name(dst) + ".rodsgate-part-"
            + ProcessHandle.current().pid());
        MessageDigest sha = checksum ? sha256() : null;
        long written = upload(s, src, target, sha);
        try {
            long now = Files.size(src);
            if (written != size || now != size) {
                throw new IOException("put " + dst + ": " + src + " changed while it was read (" + size
                    + " bytes when the upload began, " + written + " read, " + now + " now): refused"
                    + ", nothing switched in");
            }
            if (sha != null) {
                String local = "sha2:" + Base64.getEncoder().encodeToString(sha.digest());
                String remote = s.checksum(target, true);
                if (!local.equals(remote)) {
                    throw new IrodsException(ErrorCode.USER_CHKSUM_MISMATCH.code, "put " + dst + ": iRODS computed "
                        + remote + " but " + src + " has " + local + " (USER_CHKSUM_MISMATCH)");
                }
            }
            ObjStat after = s.stat(target);
            if (after.size() != written) {
                throw new IOException("upload of " + src + " to " + dst + " is incomplete: iRODS has "
                    + after.size() + " of " + size + " bytes");
            }
            if (existing == null) {
                s.rename(target, dst, false);
            } else {
                // -f: the new version replaces the old in one catalog rename, its AVUs and ACLs carried over; an
                // object changed by another client meanwhile is not replaced (the new version is kept beside it)
                Replacement.commit(s, target, dst, Baseline.of(existing, () -> s.checksum(dst)));
            }
        } catch (IOException | RuntimeException e) {
            removeQuietly(s, target);
            throw e;
        }
        return written;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Writes {@code src} to the temporary object {@code target}; on failure it is removed again. */
    private static long upload(IrodsSession s, Path src, String target, MessageDigest sha) throws IOException {
        IrodsSession.OpenFile f = s.create(target);
        long total;
        boolean ok = false;
        try (FileChannel in = FileChannel.open(src, StandardOpenOption.READ)) {
            try {
                total = FileUpload.send(s, f.fd(), in, 0, new byte[BUFFER], sha == null ? null : sha::update);
                s.close(f.fd());
            } catch (IrodsException e) {
                throw e.in("put " + src + " to", target);
            }
            ok = true;
        } finally {
            if (!ok) {
                closeQuietly(s, f.fd());
                removeQuietly(s, target);
            }
        }
        return total;
    }

    /** Removes a temporary upload after a failure; a dead connection leaves it, with its tell-tale hidden name. */
    private static void removeQuietly(IrodsSession s, String target) {
        try {
            s.unlink(target);
        } catch (IrodsException ignored) {
            // the connection may be gone; the temporary object keeps its tell-tale name
        }
    }

    private static void closeQuietly(IrodsSession s, int fd) {
        try {
            s.close(fd);
        } catch (IrodsException ignored) {
            // the descriptor dies with the connection anyway
        }
    }
}
