package org.rodsgate.fs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsAccount;

/**
 * NFSRODS-like identity: the request's uid becomes a local user name (the system's user database, through
 * {@code getent passwd}), which becomes an iRODS user (a mapping table, else the same name), reached through a
 * proxied connection of the rodsadmin account. A uid with no name or no mapping gets EACCES — never the admin's
 * rights.
 */
public final class PerUserIdentity implements Identity {
    private final IrodsAccount admin;
    private final Map<String, String> nameMap;
    private final IntFunction<String> userNames;
    private final Cache<Integer, Optional<IrodsAccount>> byUid = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMinutes(5)).maximumSize(10_000).build();

    public PerUserIdentity(IrodsAccount admin, Map<String, String> nameMap) {
        this(admin, nameMap, PerUserIdentity::systemUserName);
    }

    PerUserIdentity(IrodsAccount admin, Map<String, String> nameMap, IntFunction<String> userNames) {
        this.admin = admin;
        this.nameMap = Map.copyOf(nameMap);
        this.userNames = userNames;
    }

    @Override
    public IrodsAccount account(Caller caller) throws FsException {
        Optional<IrodsAccount> a = byUid.get(caller.uid(), uid -> {
            String local = userNames.apply(uid);
            if (local == null) {
                return Optional.empty();
            }
            String irods = nameMap.getOrDefault(local, local);
            return irods == null || irods.isEmpty() ? Optional.empty() : Optional.of(admin.proxyFor(irods));
        });
        if (a.isEmpty()) {
            throw new FsException(Errno.EACCES, "uid " + caller.uid() + " has no iRODS identity");
        }
        return a.get();
    }

    @Override
    public boolean perUser() {
        return true;
    }

    /** The local user name of a uid from the system's user database (files, LDAP, ... as NSS is set up). */
    static String systemUserName(int uid) {
        try {
            Process p = new ProcessBuilder("getent", "passwd", Integer.toString(uid)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0 || out.isEmpty()) {
                return null;
            }
            return out.substring(0, out.indexOf(':'));
        } catch (IOException | RuntimeException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
