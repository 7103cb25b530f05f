package org.rodsgate.fuse;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Logger;
import org.rodsgate.cache.MetadataCache;
import org.rodsgate.config.IrodsEnvironment;
import org.rodsgate.config.MountConfig;
import org.rodsgate.fs.FsSettings;
import org.rodsgate.fs.Identity;
import org.rodsgate.fs.IrodsFs;
import org.rodsgate.fs.Mappings;
import org.rodsgate.fs.MountOwnerIdentity;
import org.rodsgate.fs.PerUserIdentity;
import org.rodsgate.irods.ConnectionPool;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;

/** A running mount: the pool, the cache, the filesystem core and its FUSE binding, wired from a config. */
public final class MountService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(MountService.class.getName());

    private final Path mountPoint;
    private final ConnectionPool pool;
    private final IrodsFs fs;
    private final FuseAdapter adapter;
    private volatile boolean closed;

    private MountService(Path mountPoint, ConnectionPool pool, IrodsFs fs, FuseAdapter adapter) {
        this.mountPoint = mountPoint;
        this.pool = pool;
        this.fs = fs;
        this.adapter = adapter;
    }

    public static MountService start(IrodsAccount account, MountConfig cfg, Path mnt, boolean allowNonEmpty)
        throws IOException {
        if (!java.nio.charset.Charset.defaultCharset().equals(java.nio.charset.StandardCharsets.UTF_8)) {
            // jnr-fuse decodes every path with the JVM's default charset (jnr-ffi StringResultConverter)
            throw new IOException("the JVM's default charset is " + java.nio.charset.Charset.defaultCharset()
                + ", and the FUSE binding decodes file names with it: names that are not ASCII would not work."
                + " Run java with -Dfile.encoding=UTF-8 (the rodsgate launcher does) or in a UTF-8 locale");
        }
        ConnectionPool.Settings d = ConnectionPool.Settings.defaults();
        ConnectionPool pool = new ConnectionPool(new ConnectionPool.Settings(cfg.poolSize(), d.acquireTimeout(),
            d.idleTimeout(), d.validateAfter(), d.retries(), d.retryBackoff()));
        try {
            String type = pool.run(account, true, s -> {
                var rows = s.queryAll(GenQuery.select(Column.USER_TYPE).whereEq(Column.USER_NAME, account.user()));
                return rows.isEmpty() ? "" : rows.get(0).get(0);
            });
            Identity identity;
            if (cfg.perUser()) {
                if (!type.equals("rodsadmin")) {
                    throw new IOException("per-user mode needs a rodsadmin account to proxy with; " + account.user()
                        + " is " + (type.isEmpty() ? "unknown" : type));
                }
                identity = new PerUserIdentity(account, cfg.userMap());
            } else {
                identity = new MountOwnerIdentity(account);
                if (cfg.allowOther()) {
                    LOG.warning("allow_other in mount-owner mode: every local user acts as " + account.user()
                        + " through " + mnt);
                }
            }
            long uid = IrodsEnvironment.currentUid();
            long gid = currentGid();
            IrodsFs fs = new IrodsFs(new Mappings(cfg.mappings()), identity, pool, new MetadataCache(cfg.cache()),
                FsSettings.defaults((int) uid, (int) gid, cfg.spillDir()).withChecksum(cfg.checksum()));
            FuseAdapter adapter = new FuseAdapter(fs);
            Mounter.mount(adapter, mnt, new Mounter.Options(cfg.allowOther(), allowNonEmpty, cfg.entryTimeout(),
                cfg.attrTimeout(), cfg.negativeTimeout()));
            return new MountService(mnt.toAbsolutePath().normalize(), pool, fs, adapter);
        } catch (RuntimeException | IOException e) {
            pool.close();
            throw e;
        }
    }

    private static long currentGid() {
        try {
            return new com.sun.security.auth.module.UnixSystem().getGid();
        } catch (Throwable t) {
            return 0;
        }
    }

    public IrodsFs fs() {
        return fs;
    }

    public ConnectionPool pool() {
        return pool;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Blocks until the mount goes away (unmounted from outside, or by a signal handled by libfuse). */
    public void awaitUnmount() throws InterruptedException {
        while (!closed && Mounter.isMounted(mountPoint)) {
            Thread.sleep(Duration.ofMillis(500).toMillis());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("unmounting " + mountPoint + ": " + adapter.stats());
        if (Mounter.isMounted(mountPoint)) {
            try {
                Mounter.unmount(mountPoint);
            } catch (IOException e) {
                LOG.warning(e.getMessage());
            }
        }
        fs.close();
        pool.close();
    }
}
