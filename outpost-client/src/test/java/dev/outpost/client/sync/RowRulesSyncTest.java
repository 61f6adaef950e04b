package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sync against a server with per-user and team tables, in each protocol: each user's store holds exactly their
 * rows; an insert under an id another user holds, and a write a team rule refuses, are verdicts on that operation
 * (parked with the reason), and the rest of the push goes on.
 */
class RowRulesSyncTest {
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    private OutpostServer server;

    @BeforeEach
    void startServer() throws Exception {
        Path tables = Files.writeString(dir.resolve("tables.json"), "{"
                + "\"todoitem\": {\"columns\": {\"text\": \"string\", \"complete\": \"boolean\"},"
                + " \"access\": \"authenticated\", \"perUser\": true},"
                + "\"project\": {\"columns\": {\"text\": \"string\", \"teamId\": \"string\"},"
                + " \"access\": \"authenticated\", \"rows\": \"teamId in $user.teams\"}}");
        server = OutpostServer.builder().config(ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).tablesFile(tables).authSecret(SECRET)
                .shutdownTimeout(Duration.ZERO).build()).build().start();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    private static String token(String user, List<String> teams) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user)
                .claim("teams", teams).expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private SyncContext device(String user, List<String> teams, Protocol protocol, String name) throws Exception {
        String token = token(user, teams);
        OutpostClient client = OutpostClient.builder().baseUrl("http://127.0.0.1:" + server.port())
                .protocol(protocol).authToken(() -> token).build();
        return client.newSyncContext(SqliteLocalStore.open(dir.resolve(name + ".db")), ConflictHandlers.park());
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"V2", "V3", "AUTO"})
    void eachUsersStoreHoldsTheirRowsAndRefusalsParkOneOperation(Protocol protocol) throws Exception {
        try (SyncContext alice = device("alice", List.of("red"), protocol, "alice");
             SyncContext bob = device("bob", List.of("blue"), protocol, "bob")) {
            SyncTable<ObjectNode> aliceTodos = alice.getSyncTable("todoitem");
            aliceTodos.insert(SyncFixture.todo("a1", "alice's milk"));
            alice.getSyncTable("project").insert(json("{\"id\":\"p1\",\"text\":\"red plan\",\"teamId\":\"red\"}"));
            assertThat(alice.push().parked()).isEmpty();

            SyncTable<ObjectNode> bobTodos = bob.getSyncTable("todoitem");
            bobTodos.insert(SyncFixture.todo("a1", "bob takes alice's id"));
            bobTodos.insert(SyncFixture.todo("b1", "bob's bread"));
            SyncTable<ObjectNode> bobProjects = bob.getSyncTable("project");
            bobProjects.insert(json("{\"id\":\"p2\",\"text\":\"into red\",\"teamId\":\"red\"}"));
            bobProjects.insert(json("{\"id\":\"p3\",\"text\":\"blue plan\",\"teamId\":\"blue\"}"));
            PushResult pushed = bob.push();

            assertThat(pushed.parked()).extracting(PendingOperation::itemId).containsExactlyInAnyOrder("a1", "p2");
            for (PendingOperation parked : pushed.parked()) {
                assertThat(parked.httpStatus()).isEqualTo(parked.itemId().equals("a1") ? 409 : 403);
                assertThat(parked.reason()).isNotBlank();
                assertThat(parked.serverRecord()).as("nothing of alice's record").isNull();
                assertThat(parked.error().toString()).doesNotContain("alice's milk");
            }
            bobTodos.pull("all");
            bobProjects.pull("all");
            // Bob's store: his own rows, and his queued insert of a1 kept as he wrote it.
            assertThat(bobTodos.lookup("b1")).isPresent();
            assertThat(bobTodos.lookup("a1").orElseThrow().get("text").asText()).isEqualTo("bob takes alice's id");
            assertThat(bobProjects.lookup("p1")).isEmpty();
            assertThat(bobProjects.lookup("p3")).isPresent();

            aliceTodos.pull("all");
            alice.getSyncTable("project").pull("all");
            assertThat(aliceTodos.lookup("a1").orElseThrow().get("text").asText()).isEqualTo("alice's milk");
            assertThat(aliceTodos.lookup("b1")).isEmpty();
            assertThat(alice.getSyncTable("project").lookup("p3")).isEmpty();
            assertThat(alice.getSyncTable("project").lookup("p2")).isEmpty();
        }
    }

    private static ObjectNode json(String text) throws Exception {
        return (ObjectNode) new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    }
}
