package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.server.TestServer;
import dev.outpost.testing.ChaosProxy;
import dev.outpost.testing.TestDatabase;
import dev.outpost.testing.TestPostgres;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code /health} asks the database: a server whose PostgreSQL cannot be reached answers 503 (so a load balancer
 * takes it out of rotation), and 200 again once the database is back. The server reaches PostgreSQL through a
 * proxy that the test cuts.
 */
class HealthTest {
    private static final Pattern HOST_PORT = Pattern.compile("^jdbc:postgresql://([^:/?]+)(?::(\\d+))?/");

    @Test
    void healthIs503WhileThePostgresqlServerCannotBeReachedAndOkAgainAfter() {
        String url = TestPostgres.freshSchemaUrl();
        Matcher m = HOST_PORT.matcher(url);
        assertThat(m.find()).as("a host in %s", url).isTrue();
        String host = m.group(1);
        int port = m.group(2) == null ? 5432 : Integer.parseInt(m.group(2));
        try (ChaosProxy proxy = ChaosProxy.start(host, port)) {
            String viaProxy = "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.substring(m.end());
            try (TestServer server = TestServer.startOn(TestDatabase.POSTGRES, viaProxy, b -> b)) {
                assertThat(server.send("GET", "/health", null, Map.of()).status()).isEqualTo(200);

                proxy.refuseConnections(true);
                TestServer.Reply down = server.send("GET", "/health", null, Map.of());

                assertThat(down.status()).isEqualTo(503);
                assertThat(down.json().get("status").asText()).isEqualTo("unavailable");

                proxy.refuseConnections(false);
                await("health once the database is reachable again").atMost(Duration.ofSeconds(15))
                        .pollInterval(Duration.ofMillis(250))
                        .until(() -> server.send("GET", "/health", null, Map.of()).status() == 200);
            }
        } finally {
            TestPostgres.dropSchema(url);
        }
    }
}
