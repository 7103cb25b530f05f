package org.rodsgate.sandbox;

import java.time.Duration;

/**
 * What one client may cost the sandbox, declared once. Frame sizes are checked against the limits of the
 * connection's state before anything is allocated: before login only small frames are accepted (a start-up pack,
 * a negotiation, an authentication request are under 2 KiB); after login requests may carry data up to
 * {@code maxBs}. Reads time out: before login and inside a frame quickly, between requests of a logged-in
 * client after {@code idleTimeout}. Connections beyond {@code maxConnections} are closed at once, so threads are
 * bounded too (one per connection).
 *
 * @param preLoginPart   largest msg or error part before login (bytes)
 * @param preLoginBs     largest bs part before login (the TLS parameters header announces 16 bytes it never sends)
 * @param maxMsg         largest msg or error part after login (bytes)
 * @param maxBs          largest bs part after login (bytes): iRODS' MAX_SZ_FOR_SINGLE_BUF
 * @param loginTimeout   longest wait for any read before login, and for login to complete
 * @param frameTimeout   longest wait for the rest of a frame once its header came
 * @param idleTimeout    longest wait for the next request of a logged-in client
 * @param maxConnections connections served at once
 */
public record AgentLimits(int preLoginPart, int preLoginBs, int maxMsg, int maxBs, Duration loginTimeout,
                          Duration frameTimeout, Duration idleTimeout, int maxConnections) {
    /**
     * 64 KiB before login (30× the largest legitimate frame); 8 MiB messages and 32 MiB data after login (as
     * iRODS); 10 s to log in (a local client takes milliseconds); 60 s inside a frame (a slow network still
     * moves 32 MiB in that time); 30 min idle (longer than any client pool keeps an idle connection: rodsgate's
     * evicts after 60 s); 512 connections (a mount with 8 users × 20 connections, a watcher and clients, with room).
     */
    public static AgentLimits defaults() {
        return new AgentLimits(64 << 10, 1 << 10, 8 << 20, 32 << 20, Duration.ofSeconds(10), Duration.ofSeconds(60),
            Duration.ofMinutes(30), 512);
    }

    public AgentLimits withTimeouts(Duration login, Duration frame, Duration idle) {
        return new AgentLimits(preLoginPart, preLoginBs, maxMsg, maxBs, login, frame, idle, maxConnections);
    }

    public AgentLimits withMaxConnections(int n) {
        return new AgentLimits(preLoginPart, preLoginBs, maxMsg, maxBs, loginTimeout, frameTimeout, idleTimeout, n);
    }
}
