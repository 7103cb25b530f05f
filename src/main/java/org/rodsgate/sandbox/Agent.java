package org.rodsgate.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLSocket;
import org.rodsgate.irods.ApiNumber;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.auth.NativeDigest;
import org.rodsgate.irods.protocol.BinBytesBuf;
import org.rodsgate.irods.protocol.CsNeg;
import org.rodsgate.irods.protocol.Frame;
import org.rodsgate.irods.protocol.FrameIO;
import org.rodsgate.irods.protocol.GenQueryOut;
import org.rodsgate.irods.protocol.MiscSvrInfo;
import org.rodsgate.irods.protocol.PackWriter;
import org.rodsgate.irods.protocol.ProtocolException;
import org.rodsgate.irods.protocol.RError;
import org.rodsgate.irods.protocol.StartupPack;
import org.rodsgate.irods.protocol.VersionPi;
import org.rodsgate.irods.protocol.XmlNode;

/**
 * One client connection of the sandbox, as an iRODS agent serves it: start-up and negotiation (with TLS when
 * agreed), authentication, then one reply per request. Descriptors and GenQuery statements belong to the
 * connection and are released when it ends.
 */
final class Agent implements Runnable {
    private static final Logger LOG = Logger.getLogger(Agent.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** APIs that exist in iRODS 4.3 but that the sandbox does not implement: answered with SYS_NOT_SUPPORTED. */
    private static final Set<Integer> KNOWN_UNIMPLEMENTED = Set.of(606, 607, 608, 609, 610, 616, 617, 618, 619, 620,
        621, 623, 624, 625, 626, 628, 631, 632, 634, 635, 636, 637, 638, 639, 640, 641, 642, 643, 644, 645, 646,
        647, 648, 649, 650, 651, 653, 654, 655, 656, 657, 658, 659, 660, 661, 662, 663, 664, 665, 666, 667, 668, 669,
        670, 671, 672, 677, 678, 680, 682, 683, 684, 685, 686, 687, 688, 689, 690, 691, 692, 693, 694, 695, 697,
        698, 699, 705, 708, 709, 710, 711, 712, 713, 714, 715, 716, 717, 718, 719, 720, 721, 723, 724, 725,
        726, 727, 728, 729, 730, 731, 732, 733, 734, 735, 736, 737, 738, 739, 740, 741, 742, 743, 744, 745, 746, 747,
        748, 749, 750, 800, 801, 1201, 10220, 10221, 20001, 20002, 20005, 20006, 20008, 20009, 20010, 20011, 20012,
        20013);

    private final SandboxServer server;
    private Socket socket;
    private FrameIO io;
    private boolean tls;
    private String proxyName;
    private String clientName;
    private Catalog.User authUser;
    private Session session;
    private String challenge;
    private final AgentLimits limits;
    private final long loginDeadline;

    Agent(SandboxServer server, Socket socket) {
        this.server = server;
        this.socket = socket;
        this.limits = server.limits();
        this.loginDeadline = System.nanoTime() + limits.loginTimeout().toNanos();
    }

    /** A fresh frame reader, limited as the connection's state allows (small frames before login). */
    private FrameIO frames(Socket s) throws IOException {
        FrameIO f = new FrameIO(s.getInputStream(), new FaultyOutputStream(s.getOutputStream(), server.faults(), s));
        if (authUser == null) {
            f.limit(limits.preLoginPart(), limits.preLoginBs());
        } else {
            f.limit(limits.maxMsg(), limits.maxBs());
        }
        return f;
    }

    /** Before the next frame: until login, what is left of the login time; after it, the idle timeout. */
    private void awaitNextFrame() throws IOException {
        if (authUser == null) {
            long left = (loginDeadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new java.net.SocketTimeoutException("no login within " + limits.loginTimeout().toSeconds()
                    + " s");
            }
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, left));
        } else {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.idleTimeout().toMillis()));
        }
    }

    /** Once a header came: the rest of the frame must follow promptly. */
    private void inFrame() throws IOException {
        if (authUser != null) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, limits.frameTimeout().toMillis()));
        }
    }

    @Override
    public void run() {
        try {
            socket.setTcpNoDelay(true);
            io = frames(socket);
            awaitNextFrame();
            if (!startup()) {
                return;
            }
            serve();
        } catch (EOFException | SocketException e) {
            // iRODS logs SYS_HEADER_READ_LEN_ERR for this (golden auth_failed_then_abrupt_close); counted for tests
            server.stats().recordAbruptClose();
            LOG.fine("connection ended without RODS_DISCONNECT: " + e.getMessage());
        } catch (java.net.SocketTimeoutException e) {
            LOG.fine("connection timed out (" + (authUser == null ? "before login" : "idle or inside a frame")
                + "): " + e.getMessage());
        } catch (IOException | ProtocolException e) {
            LOG.log(Level.FINE, "connection failed", e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "agent crashed", e);
        } finally {
            if (session != null) {
                session.release();
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private boolean startup() throws IOException {
        FrameIO.Header h = io.readHeader();
        if (Frame.HEARTBEAT.equals(h.type())) {
            io.writeRaw(Frame.HEARTBEAT.getBytes(StandardCharsets.US_ASCII));
            return false;
        }
        if (!Frame.CONNECT.equals(h.type())) {
            return false;
        }
        StartupPack sp = StartupPack.parse(io.readBody(h, null, 0).msgXml());
        String policy = server.config().tlsPolicy();
        boolean useSsl = false;
        if (sp.requestsNegotiation()) {
            io.write(Frame.of(Frame.CS_NEG, 0, new CsNeg(1, policy).pack(true)));
            Frame f = io.read();
            CsNeg answer = CsNeg.parse(f.msgXml());
            String r = answer.resultValue();
            boolean bad = answer.status() != 1 || CsNeg.FAILURE.equals(r)
                || CsNeg.REQUIRE.equals(policy) && !CsNeg.USE_SSL.equals(r)
                || CsNeg.REFUSE.equals(policy) && CsNeg.USE_SSL.equals(r);
            if (bad) {
                sendVersion(ErrorCode.SERVER_NEGOTIATION_ERROR.code);
                return false;
            }
            useSsl = CsNeg.USE_SSL.equals(r);
        } else if (CsNeg.REQUIRE.equals(policy)) {
            sendVersion(ErrorCode.SYS_INVALID_INPUT_PARAM.code);
            return false;
        }
        sendVersion(0);
        if (useSsl) {
            SSLSocket s = server.tlsWrap(socket);
            socket = s;
            io = frames(s);
            tls = true;
            FrameIO.Header enc = io.readHeader(); // encryption parameters: a header with no body
            LOG.fine("TLS parameters " + enc.type());
            io.read(); // SHARED_SECRET
        }
        proxyName = sp.proxyUser().isEmpty() ? sp.clientUser() : sp.proxyUser();
        clientName = sp.clientUser().isEmpty() ? proxyName : sp.clientUser();
        return true;
    }

    private void sendVersion(int status) throws IOException {
        io.write(Frame.of(Frame.VERSION, 0,
            new VersionPi(status, server.config().serverVersion(), "d", 0, "", 400).pack()));
    }

    private void serve() throws IOException {
        while (true) {
            awaitNextFrame();
            FrameIO.Header h = io.readHeader();
            if (Frame.DISCONNECT.equals(h.type())) {
                server.stats().recordDisconnect();
                return;
            }
            inFrame();
            Frame req = io.readBody(h, null, 0);
            if (!Frame.API_REQ.equals(h.type())) {
                throw new ProtocolException("unexpected message type " + h.type());
            }
            Reply reply = handle(req);
            if (reply == null) {
                LOG.warning("unsupported API number " + req.intInfo() + ": no reply, as iRODS 4.3 does");
                continue;
            }
            long delay = server.faults().delayMillis();
            if (delay > 0) {
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            io.write(new Frame(Frame.API_REPLY, reply.intInfo, reply.msg, reply.error, reply.bs, reply.bsOff,
                reply.bsLen));
        }
    }

    /** What the agent answers: status, body, error stack, data. */
    record Reply(int intInfo, byte[] msg, byte[] error, byte[] bs, int bsOff, int bsLen) {
        static Reply ok(int status) {
            return new Reply(status, null, null, null, 0, 0);
        }

        static Reply ok(int status, byte[] msg) {
            return new Reply(status, msg, null, null, 0, 0);
        }

        static Reply error(int code, String message, byte[] body) {
            byte[] err = message == null ? null : new RError(List.of(new RError.Entry(code, message))).pack();
            return new Reply(code, body, err, null, 0, 0);
        }
    }

    private Reply handle(Frame req) throws IOException {
        int api = req.intInfo();
        server.stats().record(api);
        int injected = server.faults().failureFor(api);
        if (injected != 0) {
            return Reply.error(injected, "injected fault", null);
        }
        if (req.bsLen() > 0 && api != ApiNumber.DATA_OBJ_WRITE) {
            return Reply.error(ErrorCode.SYS_API_INPUT_ERR.code, "API " + api + " takes no byte stream", null);
        }
        XmlNode in;
        try {
            in = req.msgXml();
        } catch (ProtocolException e) {
            return Reply.error(ErrorCode.SYS_PACK_INSTRUCT_FORMAT_ERR.code, e.getMessage(), null);
        }
        try {
            switch (api) {
                case ApiNumber.GET_MISC_SVR_INFO:
                    return Reply.ok(0, new MiscSvrInfo(1, server.bootTime(), server.config().serverVersion(), "d",
                        server.config().zone(), "{\"ssl_enabled\":" + tls + "}").pack());
                case ApiNumber.AUTH_REQUEST:
                    return authRequest();
                case ApiNumber.AUTH_RESPONSE:
                    return authResponse(in);
                case ApiNumber.AUTHENTICATION:
                    return authFramework(in);
                default:
                    break;
            }
            if (session == null) {
                if (KNOWN_UNIMPLEMENTED.contains(api) || Session.IMPLEMENTED.contains(api)) {
                    return Reply.error(ErrorCode.SYS_NO_API_PRIV.code, "not authenticated", null);
                }
                return null;
            }
            if (Session.IMPLEMENTED.contains(api)) {
                return session.handle(api, in, req, this::sendProgress);
            }
            if (KNOWN_UNIMPLEMENTED.contains(api)) {
                return Reply.error(ErrorCode.SYS_NOT_SUPPORTED.code, "API " + api + " is not implemented by the sandbox",
                    null);
            }
            return null;
        } catch (SandboxError e) {
            byte[] body = api == ApiNumber.GEN_QUERY ? GenQueryOut.empty().pack() : null;
            LOG.fine("API " + api + " -> " + ErrorCode.nameOf(e.code) + ": " + e.getMessage());
            return Reply.error(e.code, e.forClient ? e.getMessage() : null, body);
        } catch (ProtocolException e) {
            return Reply.error(ErrorCode.SYS_PACK_INSTRUCT_FORMAT_ERR.code, e.getMessage(), null);
        }
    }

    /** RM_COLL progress: an intermediate reply, then wait for the client's 4-byte acknowledgement. */
    private void sendProgress(byte[] collOprStat) throws IOException {
        io.write(Frame.of(Frame.API_REPLY, ApiNumber.SVR_TO_CLI_COLL_STAT, collOprStat));
        int ack = io.readRawInt();
        if (ack != ApiNumber.CLI_TO_SVR_COLL_STAT_REPLY) {
            throw new ProtocolException("bad RM_COLL progress acknowledgement " + ack);
        }
    }

    // ------------------------------------------------------------------ authentication

    private static String newChallenge() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private Reply authRequest() {
        challenge = newChallenge();
        return Reply.ok(0, PackWriter.server("authRequestOut_PI")
            .bin("challenge", challenge.getBytes(StandardCharsets.US_ASCII)).bytes());
    }

    private Reply authResponse(XmlNode in) throws SandboxError {
        if (challenge == null || in == null) {
            throw new SandboxError(ErrorCode.CAT_INVALID_AUTHENTICATION, "no challenge issued");
        }
        byte[] response = in.bin("response");
        String name = in.str("username", "");
        int hash = name.indexOf('#');
        String user = hash >= 0 ? name.substring(0, hash) : name;
        String c = challenge;
        challenge = null;
        verify(user, c, response);
        return Reply.ok(0);
    }

    private Reply authFramework(XmlNode in) throws SandboxError {
        ObjectNode req;
        try {
            req = (ObjectNode) JSON.readTree(BinBytesBuf.text(in));
        } catch (Exception e) {
            throw new SandboxError(ErrorCode.SYS_INVALID_INPUT_PARAM, "authentication request is not JSON");
        }
        String scheme = req.path("scheme").asText("");
        String op = req.path("next_operation").asText("");
        String user = req.path("user_name").asText(proxyName);
        ObjectNode resp = req.deepCopy();
        switch (scheme + "/" + op) {
            case "native/auth_agent_auth_request" -> {
                challenge = newChallenge();
                resp.put("request_result", challenge);
            }
            case "native/auth_agent_auth_response" -> {
                String c = challenge;
                challenge = null;
                if (c == null) {
                    throw new SandboxError(ErrorCode.CAT_INVALID_AUTHENTICATION, "no challenge issued");
                }
                byte[] digest;
                try {
                    digest = Base64.getDecoder().decode(req.path("digest").asText(""));
                } catch (IllegalArgumentException e) {
                    throw new SandboxError(ErrorCode.CAT_INVALID_AUTHENTICATION, "digest is not base64");
                }
                verify(user, c, digest);
            }
            case "pam_password/auth_agent_auth_request" -> {
                if (!tls) {
                    throw new SandboxError(ErrorCode.SYS_NOT_ALLOWED, "pam_password requires TLS");
                }
                String generated = server.pamLogin(user, req.path("a_pw").asText(""),
                    req.path("a_ttl").asText(""));
                resp.remove("a_pw");
                resp.put("request_result", generated);
            }
            default -> throw new SandboxError(ErrorCode.SYS_NOT_SUPPORTED,
                "authentication scheme/operation not supported: " + scheme + "/" + op);
        }
        return Reply.ok(0, BinBytesBuf.pack(resp.toString(), true, true));
    }

    private void verify(String user, String challengeText, byte[] response) throws SandboxError {
        if (!user.equals(proxyName)) {
            throw new SandboxError(ErrorCode.CAT_INVALID_USER, "user " + user + " is not the connecting user");
        }
        Catalog.User u = server.catalog().tx(c -> c.user(user));
        if (u == null || "rodsgroup".equals(u.type())) {
            throw new SandboxError(ErrorCode.CAT_INVALID_USER, "no user " + user);
        }
        List<String> passwords = server.catalog().tx(c -> c.loginPasswords(u.id()));
        boolean ok = "anonymous".equals(user);
        byte[] ch = challengeText.getBytes(StandardCharsets.US_ASCII);
        for (String pw : passwords) {
            if (response != null && MessageDigest.isEqual(NativeDigest.compute(ch, pw), response)) {
                ok = true;
                break;
            }
        }
        if (!ok) {
            throw new SandboxError(ErrorCode.CAT_INVALID_AUTHENTICATION, "wrong password for " + user);
        }
        Catalog.User client = u;
        if (!clientName.equals(proxyName)) {
            if (!u.isAdmin()) {
                throw new SandboxError(ErrorCode.SYS_PROXYUSER_NO_PRIV, user + " may not proxy for " + clientName);
            }
            client = server.catalog().tx(c -> c.user(clientName));
            if (client == null) {
                // 5.0.2: CAT_INVALID_CLIENT_USER (golden proxy_login_unknown_client_user)
                throw new SandboxError(ErrorCode.CAT_INVALID_CLIENT_USER, "no user " + clientName);
            }
        }
        authUser = u;
        io.limit(limits.maxMsg(), limits.maxBs());
        Catalog.User finalClient = client;
        List<Long> principals = server.catalog().tx(c -> c.principalIds(finalClient.id()));
        session = new Session(server, finalClient, principals);
        LOG.fine("authenticated " + authUser.name() + (client == u ? "" : " for " + client.name()));
    }
}
