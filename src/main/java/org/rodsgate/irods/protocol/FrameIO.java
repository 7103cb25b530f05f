package org.rodsgate.irods.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Framing only (§1.1): a 4-byte big-endian header length, the MsgHeader_PI XML, then msg, error and bs.
 * Knows nothing of handshakes or APIs. Not thread-safe: one connection is used by one thread at a time.
 */
public final class FrameIO {
    /** MAX_NAME_LEN: the server refuses header lengths outside 1..1088 with SYS_HEADER_READ_LEN_ERR. */
    public static final int MAX_HEADER_LEN = 1088;
    /** A bound on msg and error parts, so a corrupt length cannot make us allocate gigabytes. */
    public static final int MAX_PART_LEN = 64 << 20;
    /** A bound on the bs part (reads and writes of up to 32 MiB are normal; we allow a margin). */
    public static final int MAX_BS_LEN = 256 << 20;

    private final DataInputStream in;
    private final OutputStream out;
    private int maxPart = MAX_PART_LEN;
    private int maxBs = MAX_BS_LEN;

    public FrameIO(InputStream in, OutputStream out) {
        this.in = new DataInputStream(new BufferedInputStream(in, 64 * 1024));
        this.out = new BufferedOutputStream(out, 64 * 1024);
    }

    /** The parsed header of an incoming frame. */
    public record Header(String type, int msgLen, int errorLen, int bsLen, int intInfo) {}

    public static byte[] headerBytes(String type, int msgLen, int errorLen, int bsLen, int intInfo) {
        String h = "<MsgHeader_PI>\n<type>" + type + "</type>\n<msgLen>" + msgLen + "</msgLen>\n<errorLen>"
            + errorLen + "</errorLen>\n<bsLen>" + bsLen + "</bsLen>\n<intInfo>" + intInfo
            + "</intInfo>\n</MsgHeader_PI>\n";
        return h.getBytes(StandardCharsets.US_ASCII);
    }

    public static Header parseHeader(byte[] xml) {
        XmlNode h = XmlNode.parse(xml);
        if (!"MsgHeader_PI".equals(h.name())) {
            throw new ProtocolException("expected MsgHeader_PI, got <" + h.name() + ">");
        }
        Header hd = new Header(h.str("type", ""), h.int32("msgLen"), h.int32("errorLen"), h.int32("bsLen"),
            h.int32("intInfo"));
        if (hd.msgLen < 0 || hd.errorLen < 0 || hd.bsLen < 0 || hd.msgLen > MAX_PART_LEN
            || hd.errorLen > MAX_PART_LEN || hd.bsLen > MAX_BS_LEN) {
            throw new ProtocolException("implausible part lengths in header: " + hd);
        }
        return hd;
    }

    /**
     * Tightens what {@link #readHeader()} accepts from now on (a server before login accepts only small frames):
     * msg and error parts up to {@code maxPart} bytes, bs up to {@code maxBs}; a header announcing more is refused
     * before anything is allocated.
     */
    public void limit(int maxPart, int maxBs) {
        this.maxPart = Math.min(maxPart, MAX_PART_LEN);
        this.maxBs = Math.min(maxBs, MAX_BS_LEN);
    }

    public synchronized void write(Frame f) throws IOException {
        writeHeaderOnly(f.type(), f.msgLen(), f.errorLen(), f.bsLen(), f.intInfo());
        if (f.msg() != null) {
            out.write(f.msg());
        }
        if (f.error() != null) {
            out.write(f.error());
        }
        if (f.bs() != null && f.bsLen() > 0) {
            out.write(f.bs(), f.bsOff(), f.bsLen());
        }
        out.flush();
    }

    /** Writes a header with lengths that no body follows (the TLS parameters header, §2.4). */
    public void writeHeaderOnly(String type, int msgLen, int errorLen, int bsLen, int intInfo) throws IOException {
        byte[] h = headerBytes(type, msgLen, errorLen, bsLen, intInfo);
        out.write(h.length >>> 24);
        out.write(h.length >>> 16);
        out.write(h.length >>> 8);
        out.write(h.length);
        out.write(h);
    }

    public void flush() throws IOException {
        out.flush();
    }

    /** Raw bytes without a header (the RM_COLL progress acknowledgement, §4.11). */
    public void writeRaw(byte[] b) throws IOException {
        out.write(b);
        out.flush();
    }

    public int readRawInt() throws IOException {
        return in.readInt();
    }

    public Header readHeader() throws IOException {
        int len;
        try {
            len = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("connection closed by peer");
        }
        if (len <= 0 || len > MAX_HEADER_LEN) {
            throw new ProtocolException("header length " + len + " outside 1.." + MAX_HEADER_LEN
                + " (not an iRODS peer, or the stream is out of step)");
        }
        byte[] h = new byte[len];
        in.readFully(h);
        Header hd = parseHeader(h);
        if (hd.msgLen() > maxPart || hd.errorLen() > maxPart || hd.bsLen() > maxBs) {
            throw new ProtocolException("frame too large for this connection: msg " + hd.msgLen() + ", error "
                + hd.errorLen() + ", bs " + hd.bsLen() + " bytes (limits " + maxPart + ", " + maxBs + ")");
        }
        return hd;
    }

    /** Reads a whole frame. */
    public Frame read() throws IOException {
        return readBody(readHeader(), null, 0);
    }

    /**
     * Reads the parts after {@code h}. If {@code dst} is given and large enough, the bs part is read straight into it
     * at {@code dstOff}, without an intermediate copy.
     */
    public Frame readBody(Header h, byte[] dst, int dstOff) throws IOException {
        byte[] msg = readPart(h.msgLen());
        byte[] err = readPart(h.errorLen());
        if (h.bsLen() == 0) {
            return new Frame(h.type(), h.intInfo(), msg, err, null, 0, 0);
        }
        if (dst != null && dst.length - dstOff >= h.bsLen()) {
            in.readFully(dst, dstOff, h.bsLen());
            return new Frame(h.type(), h.intInfo(), msg, err, dst, dstOff, h.bsLen());
        }
        byte[] bs = new byte[h.bsLen()];
        in.readFully(bs);
        return new Frame(h.type(), h.intInfo(), msg, err, bs, 0, bs.length);
    }

    /** Skips a body that the caller does not want (the TLS parameters header has none, though lengths are set). */
    public byte[] readPart(int len) throws IOException {
        if (len == 0) {
            return null;
        }
        byte[] b = new byte[len];
        in.readFully(b);
        return b;
    }
}
