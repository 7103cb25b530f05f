package org.rodsgate.fs;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.IrodsAccount;
import org.rodsgate.irods.IrodsException;
import org.rodsgate.irods.IrodsSession;
import org.rodsgate.irods.query.Column;
import org.rodsgate.irods.query.GenQuery;

/**
 * NFSRODS-like identity: the request's uid becomes a local user name (the system's user database, through
 * {@code getent passwd}), which becomes an iRODS user, reached through a proxied connection of the rodsadmin
 * account. A uid with no name or no mapping gets EACCES — never the admin's rights.
 *
 * <p>The mapping cannot escalate. An explicit {@code user_map} entry is used as written (an empty value excludes
 * that local name). Without one, the same name is used, except that these never map: {@code root}, the proxy
 * account's own name (a local {@code rods} must not act as the rodsadmin {@code rods}), and any name iRODS knows as
 * a {@code rodsadmin}. Acting as a rodsadmin thus needs an explicit {@code user_map} entry.
 */
public final class PerUserIdentity implements Identity {
    /** Answers the iRODS user type of a name ({@code rodsuser}, {@code rodsadmin}, ...), null if none. */
    @FunctionalInterface
    interface UserTypes {
        String typeOf(String irodsUser) throws IrodsException;
    }

    private final IrodsAccount admin;
    private final Map<String, String> nameMap;
    private final IntFunction<String> userNames;
    private final UserTypes userTypes;
    private final Cache<Integer, Optional<IrodsAccount>> byUid = Caffeine.newBuilder()
        .expireAfterWrite(Duration.ofMinutes(5)).maximumSize(10_000).build();

    public PerUserIdentity(IrodsAccount admin, Map<String, String> nameMap) {
        this(admin, nameMap, PerUserIdentity::systemUserName, irodsUserTypes(admin));
    }

    PerUserIdentity(IrodsAccount admin, Map<String, String> nameMap, IntFunction<String> userNames) {
        this(admin, nameMap, userNames, irodsUserTypes(admin));
    }

    PerUserIdentity(IrodsAccount admin, Map<String, String> nameMap, IntFunction<String> userNames,
                    UserTypes userTypes) {
        this.admin = admin;
        this.nameMap = Map.copyOf(nameMap);
        this.userNames = userNames;
        this.userTypes = userTypes;
    }

    @Override
    public IrodsAccount account(Caller caller) throws FsException {
        Optional<IrodsAccount> a = byUid.getIfPresent(caller.uid());
        if (a == null) {
            a = resolve(caller.uid());
            byUid.put(caller.uid(), a);
        }
        if (a.isEmpty()) {
            throw new FsException(Errno.EACCES, "uid " + caller.uid() + " has no iRODS identity");
        }
        return a.get();
    }

    private Optional<IrodsAccount> resolve(int uid) throws FsException {
        String local = userNames.apply(uid);
        if (local == null) {
            return Optional.empty();
        }
        if (nameMap.containsKey(local)) {
            String irods = nameMap.get(local);
            return irods == null || irods.isEmpty() ? Optional.empty() : Optional.of(admin.proxyFor(irods));
        }
        if (local.equals("root") || local.equals(admin.user())) {
            return Optional.empty();
        }
        String type;
        try {
            type = userTypes.typeOf(local);
        } catch (IrodsException e) {
            throw new FsException(Errno.EIO, "cannot tell the iRODS type of user " + local + ": " + e.getMessage());
        }
        return "rodsadmin".equals(type) ? Optional.empty() : Optional.of(admin.proxyFor(local));
    }

    /** USER_TYPE of a name in the proxy's zone, asked as the proxy (a rodsadmin sees every user). */
    private static UserTypes irodsUserTypes(IrodsAccount admin) {
        return name -> {
            try (IrodsSession s = IrodsSession.open(admin)) {
                List<List<String>> rows = s.queryAll(GenQuery.select(Column.USER_TYPE)
                    .whereEq(Column.USER_NAME, name).whereEq(Column.USER_ZONE, admin.zone()));
                return rows.isEmpty() ? null : rows.get(0).get(0);
            }
        };
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
