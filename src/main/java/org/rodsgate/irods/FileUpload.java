package org.rodsgate.irods;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Sends a local file's bytes to an open data object descriptor in large sequential writes: what {@code rodsgate put}
 * and the reverse direction's copies share. The caller opens, positions and closes the descriptor.
 */
public final class FileUpload {
    /** 8 MiB: what python-irodsclient and iCommands use; larger buffers gained nothing measurable here. */
    public static final int BUFFER = 8 << 20;

    /** Sees each chunk after it is read and before it is sent (digests, pacing, progress). */
    @FunctionalInterface
    public interface Chunks {
        void next(byte[] buf, int off, int len) throws IOException;
    }

    private FileUpload() {}

    /**
     * Sends {@code in} from byte {@code from} to its end to descriptor {@code fd} (which must be at {@code from}
     * already), in chunks of {@code buf.length}. Returns the bytes sent. A failure leaves the descriptor open.
     */
    public static long send(IrodsSession s, int fd, FileChannel in, long from, byte[] buf, Chunks chunks)
        throws IOException {
        long pos = from;
        while (true) {
            ByteBuffer bb = ByteBuffer.wrap(buf);
            int n = in.read(bb, pos);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                continue;
            }
            if (chunks != null) {
                chunks.next(buf, 0, n);
            }
            s.write(fd, buf, 0, n);
            pos += n;
        }
        return pos - from;
    }
}
