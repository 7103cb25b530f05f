package org.rodsgate.irods.protocol;

/** CS_NEG_PI, client-server negotiation (§2.4). */
public record CsNeg(int status, String result) {
    public static final String REQUIRE = "CS_NEG_REQUIRE";
    public static final String DONT_CARE = "CS_NEG_DONT_CARE";
    public static final String REFUSE = "CS_NEG_REFUSE";
    public static final String USE_SSL = "CS_NEG_USE_SSL";
    public static final String USE_TCP = "CS_NEG_USE_TCP";
    public static final String FAILURE = "CS_NEG_FAILURE";
    public static final String RESULT_KW = "cs_neg_result_kw";

    public byte[] pack(boolean server) {
        return PackWriter.of("CS_NEG_PI", server).i("status", status).str("result", result).bytes();
    }

    public static CsNeg parse(XmlNode n) {
        return new CsNeg(n.int32("status"), n.str("result", ""));
    }

    /** The negotiation table of §2.4: client policy × server policy → USE_SSL, USE_TCP or FAILURE. */
    public static String decide(String client, String server) {
        boolean cReq = REQUIRE.equals(client);
        boolean cRef = REFUSE.equals(client);
        boolean sReq = REQUIRE.equals(server);
        boolean sRef = REFUSE.equals(server);
        if (cReq && sRef || cRef && sReq) {
            return FAILURE;
        }
        if (cRef || sRef) {
            return USE_TCP;
        }
        return USE_SSL;
    }

    /** The result value, from {@code cs_neg_result_kw=X;} or a plain {@code X}. */
    public String resultValue() {
        String r = result == null ? "" : result.trim();
        for (String part : r.split(";")) {
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().equals(RESULT_KW)) {
                return part.substring(eq + 1).trim();
            }
        }
        return r.endsWith(";") ? r.substring(0, r.length() - 1) : r;
    }
}
