package org.rodsgate.sandbox;

import org.rodsgate.config.SecretFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.rodsgate.config.IrodsEnvironment;
import org.rodsgate.irods.ErrorCode;

/**
 * An iRODS server for one machine: the real wire protocol over TCP (TLS optional), announcing itself as 4.3.2,
 * with its catalog in SQLite and its data in a directory, both under {@link SandboxConfig#dir()}, so that a
 * restart on the same directory continues where it stopped. Serves many connections at once.
 */
public final class SandboxServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(SandboxServer.class.getName());

    private final SandboxConfig config;
    private final Catalog catalog;
    private final QueryEngine queries;
    private final Faults faults = new Faults();
    private final Stats stats = new Stats();
    private final java.util.concurrent.ScheduledExecutorService statsWriter =
        Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sandbox-stats");
            t.setDaemon(true);
            return t;
        });
    private final Path vault;
    private final long bootTime = System.currentTimeMillis() / 1000;
    private final Map<Long, ReplicaLock> replicaLocks = new ConcurrentHashMap<>();
    private final ExecutorService agents = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sandbox-agent");
        t.setDaemon(true);
        return t;
    });
    private volatile AgentLimits limits = AgentLimits.defaults();
    private volatile java.util.concurrent.Semaphore connections = new java.util.concurrent.Semaphore(
        AgentLimits.defaults().maxConnections());
    private final java.util.concurrent.atomic.AtomicBoolean full = new java.util.concurrent.atomic.AtomicBoolean();
    private SSLContext sslContext;
    private ServerSocket listener;
    private Thread acceptor;

    /** The write lock of an open replica (§8.2): its token, writer count, and whether bytes were written. */
    static final class ReplicaLock {
        final String token = Session.uuid();
        int writers;
        boolean anyWrites;
        boolean created;
        /** Renamed with oprType 11 while open: 5.0.2 lets that through, and the writer's close then fails. */
        boolean movedWhileOpen;
    }

    private SandboxServer(SandboxConfig config, Catalog catalog) {
        this.config = config;
        this.catalog = catalog;
        this.queries = new QueryEngine(catalog);
        this.vault = config.dir().resolve("vault");
    }

    /** Creates or reopens the sandbox in {@code config.dir()}, and starts listening. */
    public static SandboxServer start(SandboxConfig config) throws IOException {
        // the catalog holds passwords and the vault every user's data: private from the start
        SecretFiles.createPrivateDirectories(config.dir().resolve("vault"));
        Path db = config.dir().resolve("catalog.db");
        if (!Files.exists(db)) {
            SecretFiles.createPrivateFile(db);
        }
        Catalog cat;
        try {
            cat = Catalog.open(db, config.zone());
        } catch (SQLException e) {
            throw new IOException("cannot open the sandbox catalog in " + config.dir() + ": " + e.getMessage(), e);
        }
        SandboxServer s = new SandboxServer(config, cat);
        try {
            Bootstrap.apply(cat, config);
            if (config.tls()) {
                s.sslContext = TlsMaterial.load(config.dir());
            }
        } catch (SandboxError | GeneralSecurityException e) {
            s.close();
            throw new IOException("cannot set up the sandbox: " + e.getMessage(), e);
        }
        s.listen();
        s.writeClientFiles();
        s.statsWriter.scheduleWithFixedDelay(() -> {
            try {
                s.stats.writeIfChanged(config.dir().resolve("stats.json"));
                s.pickUpFaultRequest();
            } catch (IOException | RuntimeException e) {
                LOG.fine("stats: " + e.getMessage());
            }
        }, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
        return s;
    }

    private void listen() throws IOException {
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        try {
            listener.bind(new InetSocketAddress(InetAddress.getByName(config.bindHost()), config.port()), 128);
        } catch (IOException e) {
            listener.close();
            throw new IOException("cannot listen on " + config.bindHost() + ":" + config.port() + ": "
                + e.getMessage(), e);
        }
        acceptor = new Thread(this::acceptLoop, "sandbox-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket s = listener.accept();
                java.util.concurrent.Semaphore slots = connections;
                if (!slots.tryAcquire()) {
                    if (full.compareAndSet(false, true)) {
                        LOG.warning("refusing connections: " + limits.maxConnections() + " already served");
                    }
                    s.close();
                    continue;
                }
                full.set(false);
                Agent agent = new Agent(this, s);
                try {
                    agents.execute(() -> {
                        try {
                            agent.run();
                        } finally {
                            slots.release();
                        }
                    });
                } catch (RuntimeException e) {
                    slots.release();
                    s.close();
                }
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    LOG.warning("accept failed: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Test aid for other processes: a file {@code DIR/fault-cut-after} holding a byte count arms a connection cut
     * (as {@code --fault-cut-after} does at start-up) and is removed once taken; likewise {@code DIR/fault-fail}
     * holding {@code API=CODE[xTIMES]} (as {@code --fault-fail}).
     */
    private void pickUpFaultRequest() throws IOException {
        Path ff = config.dir().resolve("fault-fail");
        if (Files.exists(ff)) {
            String v = Files.readString(ff).trim();
            Files.deleteIfExists(ff);
            faults.parseFailSpec(v);
            LOG.info("fault armed: " + v);
        }
        Path f = config.dir().resolve("fault-cut-after");
        if (Files.exists(f)) {
            String v = Files.readString(f).trim();
            Files.deleteIfExists(f);
            faults.cutAfterBytes(Long.parseLong(v));
            LOG.info("fault armed: cut the next connection after " + v + " more reply bytes");
        }
    }

    /** Writes {@code DIR/irods_environment.json} and {@code DIR/.irodsA} for user rods. */
    private void writeClientFiles() throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode env = om.createObjectNode();
        env.put("irods_host", "localhost");
        env.put("irods_port", port());
        env.put("irods_zone_name", config.zone());
        env.put("irods_user_name", "rods");
        env.put("irods_default_resource", Catalog.RESOURCE);
        env.put("irods_authentication_scheme", "native");
        env.put("irods_client_server_policy", config.tlsPolicy());
        env.put("irods_client_server_negotiation", "request_server_negotiation");
        if (config.tls()) {
            env.put("irods_ssl_ca_certificate_file", TlsMaterial.caFile(config.dir()).toAbsolutePath().toString());
            env.put("irods_ssl_verify_server", "hostname");
        }
        Files.writeString(environmentFile(), om.writerWithDefaultPrettyPrinter().writeValueAsString(env) + "\n");
        IrodsEnvironment.writePassword(config.dir().resolve(".irodsA"), config.adminPassword(),
            IrodsEnvironment.currentUid());
    }

    public Path environmentFile() {
        return config.dir().resolve("irods_environment.json");
    }

    public Path authenticationFile() {
        return config.dir().resolve(".irodsA");
    }

    public Path caFile() {
        return TlsMaterial.caFile(config.dir());
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** What one client may cost (frame sizes by state, read timeouts, connections); see {@link AgentLimits}. */
    public AgentLimits limits() {
        return limits;
    }

    /** Applies to connections accepted from now on (tests use short timeouts). */
    public void limits(AgentLimits l) {
        this.connections = new java.util.concurrent.Semaphore(l.maxConnections());
        this.limits = l;
    }

    public Faults faults() {
        return faults;
    }

    /** Client connections being served now (each holds one of {@link AgentLimits#maxConnections()} slots). */
    public int openConnections() {
        return Math.max(0, limits.maxConnections() - connections.availablePermits());
    }

    /** Requests served so far, by API number. */
    public Stats stats() {
        return stats;
    }

    public SandboxConfig config() {
        return config;
    }

    Catalog catalog() {
        return catalog;
    }

    QueryEngine queries() {
        return queries;
    }

    Path vault() {
        return vault;
    }

    long bootTime() {
        return bootTime;
    }

    SSLSocket tlsWrap(Socket plain) throws IOException {
        SSLSocket s = (SSLSocket) sslContext.getSocketFactory().createSocket(plain, null, plain.getPort(), true);
        s.setUseClientMode(false);
        s.startHandshake();
        return s;
    }

    /**
     * Registers an open of a data object. Writers hold the lock (others get INTERMEDIATE_REPLICA_ACCESS unless they
     * present its token); readers of an unlocked object need nothing.
     */
    synchronized ReplicaLock lockReplica(long dataId, boolean write, String token, boolean created)
        throws SandboxError {
        ReplicaLock l = replicaLocks.get(dataId);
        if (l != null && l.writers > 0 && !l.token.equals(token)) {
            // 5.0.2 answers HIERARCHY_ERROR with no error part, reads and writes alike (golden locked_b_*open*)
            throw new SandboxError(ErrorCode.HIERARCHY_ERROR, null);
        }
        if (!write) {
            return l;
        }
        if (l == null) {
            l = new ReplicaLock();
            replicaLocks.put(dataId, l);
        }
        l.writers++;
        l.created |= created;
        return l;
    }

    /** Releases one writer; true when it was the last one (then the replica is finalized). */
    synchronized boolean unlockReplica(long dataId, ReplicaLock l) {
        if (l == null) {
            return false;
        }
        l.writers--;
        if (l.writers <= 0) {
            replicaLocks.remove(dataId, l);
            return true;
        }
        return false;
    }

    /** Notes that a data object open for writing was renamed under its writer (see ReplicaLock.movedWhileOpen). */
    synchronized void movedWhileOpen(long dataId) {
        ReplicaLock l = replicaLocks.get(dataId);
        if (l != null) {
            l.movedWhileOpen = true;
        }
    }

    synchronized boolean isWriteLocked(long dataId) {
        ReplicaLock l = replicaLocks.get(dataId);
        return l != null && l.writers > 0;
    }

    /** pam_password: checks the PAM password and hands out a generated iRODS password valid for the TTL. */
    String pamLogin(String user, String pamPassword, String ttlHours) throws SandboxError {
        return catalog.tx(c -> {
            Catalog.User u = c.user(user);
            String expected = u == null ? null : c.password(u.id(), "pam");
            if (expected == null || !expected.equals(pamPassword)) {
                throw new SandboxError(ErrorCode.PAM_AUTH_PASSWORD_FAILED, "PAM authentication failed for " + user);
            }
            byte[] b = new byte[16];
            new SecureRandom().nextBytes(b);
            String generated = HexFormat.of().formatHex(b);
            long hours = ttlHours == null || ttlHours.isBlank() ? 24 : Long.parseLong(ttlHours.trim());
            c.addTemporaryPassword(u.id(), generated, System.currentTimeMillis() / 1000 + hours * 3600);
            return generated;
        });
    }

    @Override
    public void close() {
        try {
            if (listener != null) {
                listener.close();
            }
        } catch (IOException ignored) {
            // closing
        }
        agents.shutdownNow();
        statsWriter.shutdownNow();
        try {
            catalog.close();
        } catch (SQLException e) {
            LOG.warning("closing catalog: " + e.getMessage());
        }
    }
}
