package org.rodsgate.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The sandbox's TLS identity: a self-signed certificate for {@code localhost} and 127.0.0.1, made once with the
 * JDK's keytool and kept in {@code DIR/tls/}. {@code ca.pem} is what clients trust
 * ({@code irods_ssl_ca_certificate_file}).
 */
final class TlsMaterial {
    private static final char[] STORE_PASSWORD = "sandbox-only".toCharArray();

    private TlsMaterial() {}

    static Path caFile(Path dir) {
        return dir.resolve("tls").resolve("ca.pem");
    }

    static SSLContext load(Path dir) throws IOException, GeneralSecurityException {
        Path tlsDir = dir.resolve("tls");
        Path store = tlsDir.resolve("server.p12");
        if (!Files.exists(store) || !Files.exists(caFile(dir))) {
            org.rodsgate.config.SecretFiles.createPrivateDirectories(tlsDir);
            Files.deleteIfExists(store);
            keytool(List.of("-genkeypair", "-alias", "sandbox", "-keyalg", "RSA", "-keysize", "2048", "-validity",
                "3650", "-dname", "CN=localhost, O=rodsgate sandbox", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(STORE_PASSWORD)));
            keytool(List.of("-exportcert", "-rfc", "-alias", "sandbox", "-keystore", store.toString(), "-storepass",
                new String(STORE_PASSWORD), "-file", caFile(dir).toString()));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, STORE_PASSWORD);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    private static void keytool(List<String> args) throws IOException {
        Path exe = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating the sandbox certificate");
        }
    }
}
