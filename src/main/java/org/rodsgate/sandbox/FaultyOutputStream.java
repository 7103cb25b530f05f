package org.rodsgate.sandbox;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;

/** Writes through to the socket until the armed byte budget of {@link Faults} runs out, then cuts it. */
final class FaultyOutputStream extends FilterOutputStream {
    private final Faults faults;
    private final Socket socket;

    FaultyOutputStream(OutputStream out, Faults faults, Socket socket) {
        super(out);
        this.faults = faults;
        this.socket = socket;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        long allowed = faults.allowance(len);
        if (allowed < 0) {
            out.write(b, off, len);
            return;
        }
        out.write(b, off, (int) allowed);
        out.flush();
        socket.setSoLinger(true, 0);
        socket.close();
        throw new IOException("connection cut by fault injection");
    }
}
