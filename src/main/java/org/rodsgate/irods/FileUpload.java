package org.rodsgate.irods;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Sends a local file's bytes to an open data object descriptor in large sequential writes: what {@code rodsgate put}
 * and the reverse direction's copies share. The caller opens, positions and closes the descriptor.
 *
 * <p>Reading the file and the work done on each chunk (digests, pacing) run on a helper thread, one chunk ahead of
 * the writes to iRODS, so that hashing overlaps the network instead of adding to it. Two buffers of the given size
 * are in use at any time (the one being filled, the one being sent), never more.
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

    /** A chunk handed from the reader to the sender: bytes, or the end (len -1), or the reader's failure. */
    private record Chunk(byte[] buf, int len, Throwable failure) {}

    /**
     * Sends {@code in} from byte {@code from} to its end to descriptor {@code fd} (which must be at {@code from}
     * already), in chunks of {@code buf.length}; {@code chunks} sees every chunk, in order, before it is sent.
     * Returns the bytes sent. A failure (of the read, of {@code chunks}, or of iRODS) leaves the descriptor open.
     */
    public static long send(IrodsSession s, int fd, FileChannel in, long from, byte[] buf, Chunks chunks)
        throws IOException {
        BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(2);
        BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(2);
        free.add(buf);
        free.add(new byte[buf.length]);
        Thread reader = new Thread(() -> read(in, from, chunks, free, full), "rodsgate-upload-read");
        reader.setDaemon(true);
        reader.start();
        long sent = 0;
        try {
            while (true) {
                Chunk c = full.take();
                if (c.failure instanceof IOException io) {
                    throw io;
                }
                if (c.failure instanceof RuntimeException re) {
                    throw re;
                }
                if (c.failure != null) {
                    throw new IOException("reading the file to upload failed", c.failure);
                }
                if (c.len < 0) {
                    return sent;
                }
                s.write(fd, c.buf, 0, c.len);
                sent += c.len;
                free.put(c.buf);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("upload interrupted");
        } finally {
            reader.interrupt();
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void read(FileChannel in, long from, Chunks chunks, BlockingQueue<byte[]> free,
                             BlockingQueue<Chunk> full) {
        long pos = from;
        try {
            while (true) {
                byte[] b = free.take();
                ByteBuffer bb = ByteBuffer.wrap(b);
                int n = 0;
                while (bb.hasRemaining()) {
                    int r = in.read(bb, pos + n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n == 0) {
                    full.put(new Chunk(null, -1, null));
                    return;
                }
                if (chunks != null) {
                    chunks.next(b, 0, n);
                }
                full.put(new Chunk(b, n, null));
                pos += n;
            }
        } catch (InterruptedException e) {
            // the sender stopped (it failed or was interrupted): nothing more to hand over
        } catch (IOException | RuntimeException | Error e) {
            full.offer(new Chunk(null, 0, e));
        }
    }
}
