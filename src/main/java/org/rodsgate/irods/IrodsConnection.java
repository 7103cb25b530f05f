package org.rodsgate.irods;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.rodsgate.irods.auth.Authenticator;
import org.rodsgate.metrics.Metrics;
import org.rodsgate.irods.protocol.CsNeg;
import org.rodsgate.irods.protocol.Frame;
import org.rodsgate.irods.protocol.FrameIO;
import org.rodsgate.irods.protocol.ProtocolException;
import org.rodsgate.irods.protocol.RError;
import org.rodsgate.irods.protocol.ServerVersion;
import org.rodsgate.irods.protocol.StartupPack;
import org.rodsgate.irods.protocol.VersionPi;
import org.rodsgate.irods.protocol.XmlNode;

/**
 * One authenticated TCP (or TLS) connection to an iRODS agent: handshake (§2), login (§3) and strict
 * request/reply exchange. Not thread-safe: one caller at a time (the pool hands it to one user at a time).
 * Once a transport error happened, {@link #isDead()} is true and the connection must be closed.
 */
public final class IrodsConnection implements ApiChannel, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IrodsConnection.class.getName());
    public static final String CLIENT_VERSION = "rods4.3.2";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IrodsAccount account;
    private Socket socket;
    private FrameIO io;
    private ServerVersion serverVersion;
    private boolean tls;
    private boolean dead;
    private long lastUsedNanos = System.nanoTime();
    /** System.nanoTime() by which the current operation must end; 0: none (each reply gets readTimeout). */
    private long deadlineNanos;
    /** Told of every reply that did not come in time (the pool marks the server down). */
    private java.util.function.Consumer<IrodsException> timeoutObserver = e -> { };

    private IrodsConnection(IrodsAccount account) {
        this.account = account;
    }

    /** Connects, negotiates, and logs in. Fails with one {@link IrodsException} whose message names the problem. */
    public static IrodsConnection open(IrodsAccount account) throws IrodsException {
        return open(account, 0);
    }

    /**
     * As {@link #open(IrodsAccount)}, but connecting, negotiating and logging in end by {@code deadlineNanos}
     * ({@link System#nanoTime()}; 0: each step bounded by the account's connect and read timeouts only).
     */
    public static IrodsConnection open(IrodsAccount account, long deadlineNanos) throws IrodsException {
        IrodsConnection c = new IrodsConnection(account);
        c.deadlineNanos = deadlineNanos;
        try {
            c.handshake();
            Authenticator.login(c, c.serverVersion, account, c.tls);
            c.deadlineNanos = 0;
            return c;
        } catch (IrodsException e) {
            c.close(); // says RODS_DISCONNECT when the server is still listening, as iCommands do
            throw loginMessage(e, account);
        } catch (RuntimeException e) {
            c.closeQuietly();
            throw IrodsException.transport("protocol error talking to " + where(account) + ": " + e.getMessage(),
                e, Errno.EPROTO.value);
        }
    }

    private static IrodsException loginMessage(IrodsException e, IrodsAccount a) {
        if (e.is(ErrorCode.CAT_INVALID_AUTHENTICATION)) {
            return new IrodsException(e.code(), "authentication failed for " + a.user() + "#" + a.zone() + " at "
                + where(a) + ": wrong password (CAT_INVALID_AUTHENTICATION)", true, e);
        }
        if (e.is(ErrorCode.CAT_INVALID_USER)) {
            return new IrodsException(e.code(), "authentication failed: no user " + a.user() + "#" + a.zone()
                + " at " + where(a) + " (CAT_INVALID_USER)", true, e);
        }
        if (e.is(ErrorCode.CAT_INVALID_CLIENT_USER)) {
            return new IrodsException(e.code(), "authentication failed: no iRODS user " + a.clientUser() + "#"
                + a.zone() + " at " + where(a) + " for " + a.user() + " to act as (CAT_INVALID_CLIENT_USER)", true, e);
        }
        if (e.is(ErrorCode.SYS_PROXYUSER_NO_PRIV)) {
            return new IrodsException(e.code(), a.user() + " may not act as " + a.clientUser()
                + " (SYS_PROXYUSER_NO_PRIV: proxying needs a rodsadmin)", true, e);
        }
        if (e.is(ErrorCode.PAM_AUTH_PASSWORD_FAILED)) {
            return new IrodsException(e.code(), "PAM authentication failed for " + a.user() + " at " + where(a)
                + ": wrong password (PAM_AUTH_PASSWORD_FAILED)", true, e);
        }
        return e;
    }

    private static String where(IrodsAccount a) {
        return a.host() + ":" + a.port();
    }

    private void handshake() throws IrodsException {
        IrodsAccount a = account;
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.setSoTimeout(boundedMillis(a.readTimeout()));
            socket.connect(new InetSocketAddress(a.host(), a.port()), boundedMillis(a.connectTimeout()));
        } catch (UnknownHostException e) {
            throw IrodsException.transport("cannot resolve iRODS host '" + a.host() + "'", e, Errno.EIO.value);
        } catch (ConnectException e) {
            throw IrodsException.transport("cannot connect to iRODS at " + where(a) + ": " + e.getMessage()
                + " (is the server running?)", e, Errno.EHOSTDOWN.value);
        } catch (SocketTimeoutException e) {
            throw IrodsException.transport("cannot connect to iRODS at " + where(a) + ": timed out after "
                + a.connectTimeout().toSeconds() + " s", e, Errno.ETIMEDOUT.value);
        } catch (IOException e) {
            throw IrodsException.transport("cannot connect to iRODS at " + where(a) + ": " + e.getMessage(), e,
                Errno.EIO.value);
        }
        try {
            io = new FrameIO(socket.getInputStream(), socket.getOutputStream());
            socket.setSoTimeout(boundedMillis(a.readTimeout()));
            boolean negotiate = a.tls().negotiate() || !CsNeg.REFUSE.equals(a.tls().policy());
            String option = "rodsgate" + (negotiate ? StartupPack.REQUEST_NEGOTIATION : "");
            StartupPack sp = new StartupPack(1, 0, a.user(), a.zone(), a.clientUser(), a.zone(), CLIENT_VERSION,
                "d", option);
            io.write(Frame.of(Frame.CONNECT, 0, sp.pack()));
            armReadTimeout();
            Frame f = io.read();
            String decided = null;
            if (Frame.CS_NEG.equals(f.type())) {
                CsNeg server = CsNeg.parse(f.msgXml());
                decided = CsNeg.decide(a.tls().policy(), server.result());
                if (CsNeg.FAILURE.equals(decided)) {
                    io.write(Frame.of(Frame.CS_NEG, 0, new CsNeg(0, CsNeg.RESULT_KW + "=" + CsNeg.FAILURE + ";")
                        .pack(false)));
                    throw new IrodsException(ErrorCode.SERVER_NEGOTIATION_ERROR.code, "TLS mismatch with "
                        + where(a) + ": client policy " + a.tls().policy() + ", server policy " + server.result(),
                        true, null);
                }
                io.write(Frame.of(Frame.CS_NEG, 0,
                    new CsNeg(1, CsNeg.RESULT_KW + "=" + decided + ";").pack(false)));
                armReadTimeout();
                f = io.read();
            } else if (CsNeg.REQUIRE.equals(a.tls().policy())) {
                throw new IrodsException(ErrorCode.SERVER_NEGOTIATION_ERROR.code, "TLS mismatch with " + where(a)
                    + ": client requires TLS but the server did not negotiate", true, null);
            }
            if (!Frame.VERSION.equals(f.type())) {
                throw new ProtocolException("expected RODS_VERSION, got " + f.type());
            }
            VersionPi v = VersionPi.parse(f.msgXml());
            if (v.status() < 0) {
                throw new IrodsException(v.status(), "server at " + where(a) + " refused the connection: "
                    + ErrorCode.nameOf(v.status()), true, null);
            }
            serverVersion = ServerVersion.parse(v.relVersion());
            if (CsNeg.USE_SSL.equals(decided)) {
                startTls();
            }
        } catch (SSLException e) {
            throw IrodsException.transport("TLS handshake with " + where(a) + " failed: " + e.getMessage(), e,
                Errno.EPROTO.value);
        } catch (SocketTimeoutException e) {
            throw IrodsException.timeout("no answer from iRODS at " + where(a) + " during start-up within "
                + a.readTimeout().toSeconds() + " s (or the operation's time)", e);
        } catch (IOException e) {
            if (e instanceof IrodsException ie) {
                throw ie;
            }
            throw IrodsException.transport("connection to " + where(a) + " failed during start-up: "
                + e.getMessage(), e, Errno.EIO.value);
        }
    }

    private void startTls() throws IOException {
        SSLSocket s = TlsSupport.wrap(socket, account.host(), account.port(), account.tls());
        socket = s;
        io = new FrameIO(s.getInputStream(), s.getOutputStream());
        tls = true;
        // encryption parameters for parallel transfer, then the shared secret (§2.4)
        io.writeHeaderOnly("AES-256-CBC", 32, 8, 16, 0);
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        io.write(Frame.of(Frame.SHARED_SECRET, 0, secret));
    }

    public ServerVersion serverVersion() {
        return serverVersion;
    }

    public IrodsAccount account() {
        return account;
    }

    public boolean isTls() {
        return tls;
    }

    public boolean isDead() {
        return dead;
    }

    public long idleNanos() {
        return System.nanoTime() - lastUsedNanos;
    }

    /**
     * Bounds every reply until {@link #clearDeadline()}: a read waits at most until {@code deadlineNanos}
     * ({@link System#nanoTime()}), or the account's read timeout if that comes first. The pool sets it for the
     * span of one operation, so that retries and slow replies together stay within the operation's time.
     */
    public void setDeadline(long deadlineNanos) {
        this.deadlineNanos = deadlineNanos;
    }

    /** Who hears of replies that did not come in time (the pool's {@link ServerHealth}). */
    public void observeTimeouts(java.util.function.Consumer<IrodsException> observer) {
        this.timeoutObserver = observer;
    }

    public void clearDeadline() {
        this.deadlineNanos = 0;
    }

    /** Milliseconds a wait may take: {@code limit}, cut to what is left before the deadline (at least 1 ms). */
    private int boundedMillis(java.time.Duration limit) throws SocketTimeoutException {
        long ms = limit.toMillis();
        if (deadlineNanos != 0) {
            long left = (deadlineNanos - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("deadline passed");
            }
            ms = Math.min(ms, left);
        }
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, ms));
    }

    /** Before each reply is read: the socket waits no longer than the read timeout or the deadline allow. */
    private void armReadTimeout() throws IOException {
        if (deadlineNanos != 0) {
            socket.setSoTimeout(boundedMillis(account.readTimeout()));
        }
    }

    @Override
    public Reply call(int api, byte[] msg) throws IrodsException {
        return call(api, msg, null, 0, 0, null, 0);
    }

    /**
     * Sends a request (with an optional bs slice) and reads its reply. When {@code dst} is given, a bs in the
     * reply is read directly into {@code dst} at {@code dstOff}.
     */
    public Reply call(int api, byte[] msg, byte[] bs, int bsOff, int bsLen, byte[] dst, int dstOff)
        throws IrodsException {
        if (dead) {
            throw IrodsException.transport("connection to " + where(account) + " is closed", null,
                Errno.EIO.value);
        }
        lastUsedNanos = System.nanoTime();
        int code = Metrics.TRANSPORT_FAILURE;
        try {
            io.write(new Frame(Frame.API_REQ, api, msg, null, bs, bsOff, bsLen));
            Frame f = readReply(api, dst, dstOff);
            Reply r = finish(api, f);
            code = 0;
            return r;
        } catch (IOException | RuntimeException e) {
            IrodsException x = transportFailure(api, e);
            code = x.code() != 0 ? x.code() : Metrics.TRANSPORT_FAILURE;
            throw x;
        } finally {
            Metrics.irodsCall(api, code, System.nanoTime() - lastUsedNanos);
        }
    }

    /** RM_COLL: acknowledges every progress reply (99999996) with the 4 raw bytes 99999997 (§4.11). */
    public Reply callWithProgress(int api, byte[] msg) throws IrodsException {
        if (dead) {
            throw IrodsException.transport("connection is closed", null, Errno.EIO.value);
        }
        lastUsedNanos = System.nanoTime();
        int code = Metrics.TRANSPORT_FAILURE;
        try {
            io.write(Frame.of(Frame.API_REQ, api, msg));
            Frame f = readReply(api, null, 0);
            while (f.intInfo() == ApiNumber.SVR_TO_CLI_COLL_STAT) {
                int v = ApiNumber.CLI_TO_SVR_COLL_STAT_REPLY;
                io.writeRaw(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
                f = readReply(api, null, 0);
            }
            Reply r = finish(api, f);
            code = 0;
            return r;
        } catch (IOException | RuntimeException e) {
            IrodsException x = transportFailure(api, e);
            code = x.code() != 0 ? x.code() : Metrics.TRANSPORT_FAILURE;
            throw x;
        } finally {
            Metrics.irodsCall(api, code, System.nanoTime() - lastUsedNanos);
        }
    }

    private Frame readReply(int api, byte[] dst, int dstOff) throws IOException {
        armReadTimeout();
        FrameIO.Header h = io.readHeader();
        if (!Frame.API_REPLY.equals(h.type())) {
            throw new ProtocolException("expected RODS_API_REPLY to API " + api + ", got " + h.type());
        }
        return io.readBody(h, dst, dstOff);
    }

    private Reply finish(int api, Frame f) throws IrodsException {
        RError err = RError.parse(f.error());
        if (f.intInfo() < 0) {
            String detail = err.firstMessage();
            throw new IrodsException(f.intInfo(), ErrorCode.describe(f.intInfo())
                + (detail == null || detail.isBlank() ? "" : ": " + detail.strip()));
        }
        XmlNode body = f.msg() == null ? null : XmlNode.parse(f.msg());
        return new Reply(f.intInfo(), body, err, f);
    }

    private IrodsException transportFailure(int api, Exception e) {
        if (e instanceof IrodsException ie) {
            return ie;
        }
        dead = true;
        closeQuietly();
        if (e instanceof SocketTimeoutException) {
            IrodsException t = IrodsException.timeout("no reply from " + where(account) + " to API " + api + " within "
                + (deadlineNanos != 0 ? "the operation's time" : account.readTimeout().toSeconds() + " s"), e);
            timeoutObserver.accept(t);
            return t;
        }
        if (e instanceof EOFException) {
            return IrodsException.transport("connection to " + where(account) + " closed by the server (API "
                + api + ")", e, Errno.EIO.value);
        }
        return IrodsException.transport("connection to " + where(account) + " failed (API " + api + "): "
            + e.getMessage(), e, Errno.EIO.value);
    }

    /** Sends RODS_DISCONNECT and closes the socket. */
    @Override
    public void close() {
        if (!dead && io != null) {
            try {
                io.write(Frame.of(Frame.DISCONNECT, 0, null));
            } catch (IOException | RuntimeException e) {
                LOG.fine("disconnect: " + e.getMessage());
            }
        }
        dead = true;
        closeQuietly();
    }

    private void closeQuietly() {
        dead = true;
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket: nothing left to do
            }
        }
    }
}
