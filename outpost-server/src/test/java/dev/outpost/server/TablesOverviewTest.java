package dev.outpost.server;

import static dev.outpost.server.OpenApiTest.TABLES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /outpost/v1/tables}: its exact shape on declared and dynamic servers, and who may read it. */
class TablesOverviewTest {
    private static final String SYSTEM = "{\"name\":\"id\",\"type\":\"string\",\"system\":true},"
            + "{\"name\":\"createdAt\",\"type\":\"date\",\"system\":true},"
            + "{\"name\":\"updatedAt\",\"type\":\"date\",\"system\":true},"
            + "{\"name\":\"version\",\"type\":\"string\",\"system\":true},"
            + "{\"name\":\"deleted\",\"type\":\"boolean\",\"system\":true}";

    @TempDir
    Path dir;

    private static Reply get(TestServer server, String token) {
        return server.send("GET", "/outpost/v1/tables", null,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
    }

    @Test
    void declaredTablesShowColumnsAccessAndRowRules() throws Exception {
        Path file = Files.writeString(dir.resolve("tables.json"), TABLES);
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(Tokens.SECRET).tablesFile(file))) {
            Reply reply = get(server, Tokens.signed("olivia", Map.of("roles", List.of("admin"))));
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            JsonNode overview = reply.json();
            assertThat(overview.get("schema").asText()).isEqualTo("declared");
            assertThat(overview.get("tables")).hasSize(4);
            assertThat(table(overview, "todoitem")).isEqualTo(TestServer.JSON.readTree("{\"name\":\"todoitem\","
                    + "\"declared\":true,\"softDelete\":true,\"columns\":["
                    + "{\"name\":\"text\",\"type\":\"string\",\"system\":false},"
                    + "{\"name\":\"complete\",\"type\":\"boolean\",\"system\":false},"
                    + "{\"name\":\"userId\",\"type\":\"string\",\"system\":false}," + SYSTEM + "],"
                    + "\"access\":{\"read\":\"authenticated\",\"insert\":\"authenticated\",\"update\":"
                    + "\"authenticated\",\"delete\":\"authenticated\",\"undelete\":\"authenticated\"},"
                    + "\"rows\":\"userId eq $user.id\",\"perUser\":true,\"ownerColumn\":\"userId\"}"));
            JsonNode audit = table(overview, "audit");
            assertThat(audit.get("softDelete").asBoolean()).isFalse();
            assertThat(audit.get("columns").get(0).toString()).isEqualTo("{\"name\":\"at\",\"type\":\"date\","
                    + "\"system\":false}");
            assertThat(audit.get("columns").findValuesAsText("type")).startsWith("date", "json", "integer",
                    "number");
            assertThat(audit.get("access").get("read").asText()).isEqualTo("role:auditor");
            assertThat(audit.get("rows").isNull()).isTrue();
            assertThat(audit.get("perUser").asBoolean()).isFalse();
            assertThat(audit.get("ownerColumn").isNull()).isTrue();
            assertThat(table(overview, "notice").get("access").toString()).isEqualTo("{\"read\":\"anonymous\","
                    + "\"insert\":\"authenticated\",\"update\":\"disabled\",\"delete\":\"disabled\",\"undelete\":"
                    + "\"anonymous\"}");
            JsonNode project = table(overview, "project");
            assertThat(project.get("rows").asText()).isEqualTo("teamId in $user.teams");
            assertThat(project.get("perUser").asBoolean()).isFalse();
            assertThat(project.get("ownerColumn").isNull()).isTrue();
        }
    }

    @Test
    void onlyAdminsMayReadItOnAServerWithIdentity() throws Exception {
        Path file = Files.writeString(dir.resolve("tables.json"), TABLES);
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(Tokens.SECRET).tablesFile(file))) {
            Reply anonymous = get(server, null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(anonymous.json().get("code").asText()).isEqualTo("unauthorized");
            Reply bob = get(server, Tokens.signed("bob", Map.of("roles", List.of("auditor"))));
            assertThat(bob.status()).isEqualTo(403);
            assertThat(bob.json().get("error").asText()).contains("admin");
            assertThat(get(server, "not-a-token").status()).isEqualTo(401);
            assertThat(server.send("GET", "/outpost/v1/tables", null, Map.of("X-ZUMO-AUTH",
                    Tokens.signed("olivia", Map.of("roles", "admin")))).status()).isEqualTo(200);
        }
    }

    @Test
    void dynamicSchemaShowsTheTablesThatExistWithTheDynamicRules() {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE)) {
            // No identity: this machine's clients only, and the test's client is on this machine.
            assertThat(get(server, null).json().toString()).isEqualTo("{\"schema\":\"dynamic\",\"tables\":[]}");
            assertThat(server.v3("POST", "/tables/notes", "{\"text\": \"milk\", \"count\": 2}").status())
                    .isEqualTo(201);
            JsonNode notes = table(get(server, null).json(), "notes");
            assertThat(notes.toString()).isEqualTo("{\"name\":\"notes\",\"declared\":false,\"softDelete\":true,"
                    + "\"columns\":[{\"name\":\"text\",\"type\":\"string\",\"system\":false},"
                    + "{\"name\":\"count\",\"type\":\"number\",\"system\":false}," + SYSTEM + "],"
                    + "\"access\":{\"read\":\"anonymous\",\"insert\":\"anonymous\",\"update\":\"anonymous\","
                    + "\"delete\":\"anonymous\",\"undelete\":\"anonymous\"},"
                    + "\"rows\":null,\"perUser\":false,\"ownerColumn\":null}");
        }
    }

    @Test
    void dynamicPerUserTablesShowTheirOwnerColumn() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(Tokens.SECRET)
                .dynamicAccess("per-user"))) {
            String alice = Tokens.signed("alice", Map.of());
            assertThat(server.send("POST", "/tables/notes", "{\"text\": \"milk\"}", Map.of("Authorization",
                    "Bearer " + alice, "ZUMO-API-VERSION", "3.0.0")).status()).isEqualTo(201);
            assertThat(get(server, alice).status()).isEqualTo(403);
            JsonNode notes = table(get(server, Tokens.signed("olivia", Map.of("roles", List.of("admin")))).json(), "notes");
            assertThat(notes.get("access").get("read").asText()).isEqualTo("authenticated");
            assertThat(notes.get("rows").asText()).isEqualTo("userId eq $user.id");
            assertThat(notes.get("perUser").asBoolean()).isTrue();
            assertThat(notes.get("ownerColumn").asText()).isEqualTo("userId");
            assertThat(notes.get("columns").findValuesAsText("name")).contains("text", "userId");
        }
    }

    private static JsonNode table(JsonNode overview, String name) {
        for (JsonNode table : overview.get("tables")) {
            if (table.get("name").asText().equals(name)) {
                return table;
            }
        }
        throw new AssertionError("no table " + name + " in " + overview);
    }
}
