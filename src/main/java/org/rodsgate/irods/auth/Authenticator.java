package org.rodsgate.irods.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.rodsgate.irods.ApiChannel;
import org.rodsgate.irods.ApiNumber;
import org.rodsgate.irods.ErrorCode;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.Reply;
import org.rodsgate.irods.protocol.BinBytesBuf;
import org.rodsgate.irods.protocol.PackWriter;
import org.rodsgate.irods.protocol.ServerVersion;

/**
 * Logs a connection in (§3): native through the legacy 703/704 APIs on servers before 4.3 and through the
 * authentication framework (110000) from 4.3 on; {@code pam_password} (4.3+, TLS only) exchanges the PAM password
 * for a generated iRODS password and then logs in natively with it. Always authenticates the account's
 * {@code user}; proxying for {@code clientUser} was already declared in the startup pack.
 */
public final class Authenticator {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Authenticator() {}

    public static void login(ApiChannel ch, ServerVersion server, IrodsAccount acct, boolean tlsOn)
        throws IrodsException {
        if (acct.password() == null) {
            throw new IrodsException(ErrorCode.CAT_INVALID_AUTHENTICATION.code,
                "no password for " + acct.user() + " (no .irodsA file; run iinit or set the password)");
        }
        String password = acct.password();
        if (IrodsAccount.PAM_PASSWORD.equals(acct.authScheme())) {
            if (!tlsOn) {
                throw new IrodsException(ErrorCode.SYS_NOT_ALLOWED.code,
                    "pam_password needs TLS: set irods_client_server_policy to CS_NEG_REQUIRE");
            }
            if (!server.atLeast(4, 3, 0)) {
                throw new IrodsException(ErrorCode.SYS_NOT_SUPPORTED.code,
                    "pam_password is implemented for iRODS 4.3 and later; this server is " + server);
            }
            password = pamExchange(ch, acct);
        }
        if (server.atLeast(4, 3, 0)) {
            frameworkNative(ch, acct, password);
        } else {
            legacyNative(ch, acct, password);
        }
    }

    static void legacyNative(ApiChannel ch, IrodsAccount acct, String password) throws IrodsException {
        Reply r = ch.call(ApiNumber.AUTH_REQUEST, null);
        byte[] challenge = r.body() == null ? null : r.body().bin("challenge");
        if (challenge == null || challenge.length < NativeDigest.CHALLENGE_LEN) {
            throw new IrodsException(ErrorCode.SYS_API_INPUT_ERR.code, "server sent no usable auth challenge");
        }
        byte[] digest = NativeDigest.compute(challenge, password);
        byte[] msg = PackWriter.client("authResponseInp_PI").bin("response", digest)
            .str("username", acct.user() + "#" + acct.zone()).bytes();
        ch.call(ApiNumber.AUTH_RESPONSE, msg);
    }

    static void frameworkNative(ApiChannel ch, IrodsAccount acct, String password) throws IrodsException {
        ObjectNode req = JSON.createObjectNode();
        req.put("scheme", "native");
        req.put("next_operation", "auth_agent_auth_request");
        req.put("user_name", acct.user());
        req.put("zone_name", acct.zone());
        ObjectNode resp = callJson(ch, req);
        String challenge = resp.path("request_result").asText("");
        if (challenge.length() < NativeDigest.CHALLENGE_LEN) {
            throw new IrodsException(ErrorCode.SYS_API_INPUT_ERR.code, "server sent no usable auth challenge");
        }
        byte[] digest = NativeDigest.compute(challenge.getBytes(StandardCharsets.US_ASCII), password);
        req.put("next_operation", "auth_agent_auth_response");
        req.put("digest", Base64.getEncoder().encodeToString(digest));
        callJson(ch, req);
    }

    static String pamExchange(ApiChannel ch, IrodsAccount acct) throws IrodsException {
        ObjectNode req = JSON.createObjectNode();
        req.put("scheme", "pam_password");
        req.put("next_operation", "auth_agent_auth_request");
        req.put("user_name", acct.user());
        req.put("zone_name", acct.zone());
        req.put("a_pw", acct.password());
        ObjectNode resp = callJson(ch, req);
        String generated = resp.path("request_result").asText("");
        if (generated.isEmpty()) {
            throw new IrodsException(ErrorCode.PAM_AUTH_PASSWORD_FAILED.code, "PAM login returned no password");
        }
        return generated;
    }

    private static ObjectNode callJson(ApiChannel ch, ObjectNode req) throws IrodsException {
        Reply r = ch.call(ApiNumber.AUTHENTICATION, BinBytesBuf.pack(req.toString(), false, false));
        try {
            String text = r.body() == null ? "{}" : BinBytesBuf.text(r.body());
            return (ObjectNode) JSON.readTree(text.isEmpty() ? "{}" : text);
        } catch (Exception e) {
            throw new IrodsException(ErrorCode.SYS_API_INPUT_ERR.code, "unreadable authentication reply");
        }
    }
}
