package org.rodsgate.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Starting against an iRODS server that cannot be reached yet (a unit started at boot before the network or the
 * server): retries with exponential backoff (1 s doubling to 60 s) for at most a given time, saying once on stderr
 * for each kind of failure (refused, unknown host, timed out...) that it waits. Failures that are not about reaching
 * the server (wrong password, bad config) are thrown at once.
 */
final class ServerWait {
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private ServerWait() {
    }

    /** Runs {@code start}; for up to {@code waitSeconds} (0: no wait) retries it while the server is unreachable. */
    static <T> T start(int waitSeconds, Callable<T> start) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        Duration backoff = FIRST_BACKOFF;
        Class<?> lastKind = null;
        while (true) {
            try {
                return start.call();
            } catch (IOException e) {
                Throwable kind = unreachable(e);
                long left = deadline - System.nanoTime();
                if (kind == null) {
                    throw e;
                }
                if (left <= 0) {
                    if (waitSeconds > 0) {
                        System.err.println("rodsgate: gave up waiting for the server after " + waitSeconds + " s");
                    }
                    throw e;
                }
                if (kind.getClass() != lastKind) {
                    System.err.println("rodsgate: " + Failures.describe(e) + "; waiting for the server (retrying for up to "
                        + Math.max(1, Math.round(left / 1e9)) + " more s)");
                    lastKind = kind.getClass();
                }
                Thread.sleep(Math.min(backoff.toMillis(), Math.max(1, left / 1_000_000)));
                backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
            }
        }
    }

    /** The network failure in {@code e}'s causes that means "not reachable (yet)", or null. */
    static Throwable unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                || t instanceof UnknownHostException || t instanceof SocketTimeoutException) {
                return t;
            }
        }
        return null;
    }
}
