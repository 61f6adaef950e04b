package dev.outpost.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.TestServer;
import dev.outpost.server.Tokens;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The console's routes over HTTP, without a browser: its files with their types and a policy that keeps the page
 * to this origin, nothing else from the jar, and {@code /console/session} behind the admin gate.
 */
class ConsoleRoutesTest {
    @Test
    void servesThePageAndItsModulesWithTheirTypesAndPolicy() {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE)) {
            Reply page = server.send("GET", "/console", null, Map.of());
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
            assertThat(page.body()).contains("<script type=\"module\" src=\"/console/app.js\">");
            assertThat(server.send("GET", "/console/app.js", null, Map.of()).header("Content-Type"))
                    .startsWith("text/javascript");
            assertThat(server.send("GET", "/console/console.css", null, Map.of()).header("Content-Type"))
                    .startsWith("text/css");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"/console/nothing.js", "/console/..%2Fversion.properties", "/console/App.js",
        "/console/app.js.map", "/console/%2e%2e%2fOutpostServer.class"})
    void answersNothingElse(String path) {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE)) {
            Reply reply = server.send("GET", path, null, Map.of());
            assertThat(reply.status()).as(path).isIn(400, 404);
            assertThat(reply.body()).doesNotContain("version=");
        }
    }

    @Test
    void theSessionSaysWhoWithoutSignInOnThisMachine() {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE)) {
            Reply session = server.send("GET", "/console/session", null, Map.of());
            assertThat(session.status()).isEqualTo(200);
            assertThat(session.json().get("identity").asBoolean()).isFalse();
        }
    }

    @Test
    void withSignInThePageLoadsButTheSessionNeedsTheAdminRole() {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(Tokens.SECRET))) {
            assertThat(server.send("GET", "/console", null, Map.of()).status()).isEqualTo(200);
            assertThat(server.send("GET", "/console/session", null, Map.of()).status()).isEqualTo(401);
            Reply user = server.send("GET", "/console/session", null,
                    Map.of("Authorization", "Bearer " + Tokens.of("bob", "user")));
            assertThat(user.status()).isEqualTo(403);
            assertThat(user.json().get("error").asText()).contains("admin");
            Reply admin = server.send("GET", "/console/session", null,
                    Map.of("Authorization", "Bearer " + Tokens.of("alice", "admin")));
            assertThat(admin.status()).isEqualTo(200);
            assertThat(admin.json().get("user").asText()).isEqualTo("alice");
            assertThat(admin.json().get("identity").asBoolean()).isTrue();
        }
    }
}
