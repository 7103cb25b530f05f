package org.rodsgate.irods.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameIOTest {
    /** An input stream that hands out at most {@code chunk} bytes per read, to split frames anywhere. */
    static final class Trickle extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;

        Trickle(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= data.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(7)), data.length - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static byte[] encode(Frame... frames) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameIO io = new FrameIO(InputStream.nullInputStream(), out);
        for (Frame f : frames) {
            io.write(f);
        }
        return out.toByteArray();
    }

    @Test
    void framesSurviveBeingSplitAtEveryBoundary() throws IOException {
        byte[] bs = new byte[70_000];
        new Random(1).nextBytes(bs);
        byte[] msg = "<X_PI>\n<v>it&apos;s ü</v>\n</X_PI>\n".getBytes(StandardCharsets.UTF_8);
        byte[] err = new RError(java.util.List.of(new RError.Entry(-808000, "no <rows> & more"))).pack();
        byte[] wire = encode(Frame.of(Frame.API_REPLY, 42, msg, err, bs), Frame.of(Frame.API_REPLY, -808000, null));
        for (long seed = 0; seed < 20; seed++) {
            FrameIO io = new FrameIO(new Trickle(wire, seed), OutputStream.nullOutputStream());
            Frame a = io.read();
            assertEquals(42, a.intInfo());
            assertArrayEquals(msg, a.msg());
            assertEquals("no <rows> & more", RError.parse(a.error()).firstMessage());
            assertArrayEquals(bs, a.bsBytes());
            Frame b = io.read();
            assertEquals(-808000, b.intInfo());
            assertEquals(null, b.msg());
            assertThrows(EOFException.class, io::read);
        }
    }

    @Test
    void readsByteStreamIntoCallerBuffer() throws IOException {
        byte[] bs = {1, 2, 3, 4, 5};
        byte[] wire = encode(Frame.of(Frame.API_REPLY, 5, null, null, bs));
        FrameIO io = new FrameIO(new ByteArrayInputStream(wire), OutputStream.nullOutputStream());
        byte[] dst = new byte[10];
        Frame f = io.readBody(io.readHeader(), dst, 3);
        assertEquals(dst, f.bs());
        assertEquals(3, f.bsOff());
        assertArrayEquals(new byte[] {0, 0, 0, 1, 2, 3, 4, 5, 0, 0}, dst);
    }

    @Test
    void rejectsImplausibleHeaderLengths() {
        for (int len : new int[] {0, -1, 1089, 1 << 30}) {
            byte[] wire = {(byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
            FrameIO io = new FrameIO(new ByteArrayInputStream(wire), OutputStream.nullOutputStream());
            assertThrows(ProtocolException.class, io::readHeader, "length " + len);
        }
    }

    @Test
    void rejectsNegativePartLengths() {
        byte[] h = "<MsgHeader_PI><type>X</type><msgLen>-5</msgLen><errorLen>0</errorLen><bsLen>0</bsLen><intInfo>0</intInfo></MsgHeader_PI>"
            .getBytes(StandardCharsets.US_ASCII);
        assertThrows(ProtocolException.class, () -> FrameIO.parseHeader(h));
    }

    @Test
    void headerIsWrittenLikeTheServerWritesIt() {
        assertEquals("<MsgHeader_PI>\n<type>RODS_API_REPLY</type>\n<msgLen>0</msgLen>\n<errorLen>0</errorLen>\n"
            + "<bsLen>0</bsLen>\n<intInfo>0</intInfo>\n</MsgHeader_PI>\n",
            new String(FrameIO.headerBytes("RODS_API_REPLY", 0, 0, 0, 0), StandardCharsets.US_ASCII));
    }
}
