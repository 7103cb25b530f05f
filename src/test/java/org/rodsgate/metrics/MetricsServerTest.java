package org.rodsgate.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.rodsgate.irods.Errno;
import org.rodsgate.irods.ErrorCode;

/** The endpoint serves what was recorded, in Prometheus's text format, with errno and iRODS error names. */
class MetricsServerTest {
    @Test
    void scrapeShowsRecordedOperations() throws Exception {
        Metrics.fuseOperation("getattr", 0, 2_000_000);
        Metrics.fuseOperation("getattr", Errno.ENOENT.value, 1_000_000);
        Metrics.fuseBytes(true, 4096);
        Metrics.irodsCall(702, ErrorCode.CAT_NO_ROWS_FOUND.code, 3_000_000);
        Metrics.irodsCall(704, Metrics.TRANSPORT_FAILURE, 3_000_000);
        Metrics.registration("parked_mount");
        try (MetricsServer s = MetricsServer.start("127.0.0.1", 0)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
            String body = r.body();
            assertTrue(body.matches("(?s).*rodsgate_fuse_operations_seconds_count\\{errno=\"ENOENT\",op=\"getattr\"} [1-9].*"), body);
            assertTrue(body.matches("(?s).*rodsgate_fuse_operations_seconds_bucket\\{errno=\"OK\",op=\"getattr\",le=\"0\\.005\"} [1-9].*"), body);
            assertTrue(body.matches("(?s).*rodsgate_fuse_bytes_total\\{direction=\"read\"} [1-9].*"), body);
            assertTrue(body.matches("(?s).*rodsgate_irods_api_seconds_count\\{api=\"702\",result=\"CAT_NO_ROWS_FOUND\"} [1-9].*"), body);
            assertTrue(body.matches("(?s).*rodsgate_irods_api_seconds_count\\{api=\"704\",result=\"TRANSPORT_FAILURE\"} [1-9].*"), body);
            assertTrue(body.matches("(?s).*rodsgate_registrations_total\\{outcome=\"parked_mount\"} [1-9].*"), body);
            assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics are there too");
        }
    }
}
