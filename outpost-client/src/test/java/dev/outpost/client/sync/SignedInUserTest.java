package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.RemoteTable;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.TokenProvider;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.StoreOwnerException;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The signed-in user on the client: the token provider is asked for a refreshed token once after a 401, and a
 * store belongs to the user it first synced as, until the app signs out.
 */
class SignedInUserTest {
    @TempDir
    Path dir;
    private OutpostServer server;

    @BeforeEach
    void startServer() {
        server = OutpostServer.builder().config(ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).shutdownTimeout(Duration.ZERO).build())
                .build().start();
    }

    @AfterEach
    void stopServer() {
        server.stop();
    }

    /** A JWT-shaped token for {@code user} (the client reads its subject; it does not verify tokens). */
    private static String token(String user) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(("{\"sub\":\"" + user + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
    }

    private SyncContext device(AtomicReference<String> token, String name) {
        OutpostClient client = OutpostClient.builder().baseUrl("http://127.0.0.1:" + server.port())
                .authToken(token::get).build();
        return client.newSyncContext(SqliteLocalStore.open(dir.resolve(name + ".db")), ConflictHandlers.park());
    }

    @Test
    void aRefusedTokenIsRefreshedOnceAndTheRequestSentAgain() throws Exception {
        try (MockWebServer mock = new MockWebServer()) {
            mock.start();
            mock.enqueue(new MockResponse.Builder().code(401).body("{\"error\":\"expired\"}").build());
            mock.enqueue(new MockResponse.Builder().code(200).body("{\"items\":[],\"count\":0}").build());
            TokenProvider provider = new TokenProvider() {
                @Override
                public String token() {
                    return "expired-token";
                }

                @Override
                public String refreshedToken() {
                    return "fresh-token";
                }
            };
            RemoteTable<ObjectNode> table = OutpostClient.builder().baseUrl(mock.url("/").toString())
                    .protocol(dev.outpost.client.Protocol.V3).authToken(provider).build().getTable("todoitem");

            assertThat(table.query().list().items()).isEmpty();

            RecordedRequest first = mock.takeRequest();
            RecordedRequest second = mock.takeRequest();
            assertThat(first.getHeaders().get("X-ZUMO-AUTH")).isEqualTo("expired-token");
            assertThat(second.getHeaders().get("X-ZUMO-AUTH")).isEqualTo("fresh-token");
            assertThat(second.getHeaders().get("Authorization")).isEqualTo("Bearer fresh-token");
        }
    }

    @Test
    void aSecond401StopsThePushWithTheQueueIntactAndNothingParked() throws Exception {
        try (MockWebServer mock = new MockWebServer()) {
            mock.start();
            for (int i = 0; i < 4; i++) {
                mock.enqueue(new MockResponse.Builder().code(401).body("{\"error\":\"no\"}").build());
            }
            OutpostClient client = OutpostClient.builder().baseUrl(mock.url("/").toString())
                    .protocol(dev.outpost.client.Protocol.V3).authToken(() -> token("alice")).build();
            try (SyncContext phone = client.newSyncContext(SqliteLocalStore.open(dir.resolve("phone.db")),
                    ConflictHandlers.park())) {
                phone.getSyncTable("todoitem").insert(SyncFixture.todo("a", "milk"));

                assertThatThrownBy(phone::push).isInstanceOf(AuthenticationException.class);

                assertThat(phone.pendingOperations()).hasSize(1);
                assertThat(phone.parkedOperations()).isEmpty();
                // The same token again is not worth a second request: one request, one 401.
                assertThat(mock.getRequestCount()).isEqualTo(1);
            }
        }
    }

    @Test
    void aStoreSyncsAsTheUserItBelongsToUntilItIsSignedOut() {
        AtomicReference<String> token = new AtomicReference<>(token("alice"));
        try (SyncContext phone = device(token, "phone")) {
            SyncTable<ObjectNode> todos = phone.getSyncTable("todoitem");
            todos.insert(SyncFixture.todo("a", "alice's milk"));
            phone.push();
            todos.pull("all");
            assertThat(phone.owner()).contains("alice");

            token.set(token("bob"));
            todos.insert(SyncFixture.todo("b", "alice's bread, queued"));
            assertThatThrownBy(phone::push).isInstanceOfSatisfying(StoreOwnerException.class, e -> {
                assertThat(e.owner()).isEqualTo("alice");
                assertThat(e.user()).isEqualTo("bob");
            });
            assertThatThrownBy(() -> todos.pull("all")).isInstanceOf(StoreOwnerException.class);
            assertThat(phone.pendingOperations()).hasSize(1);

            token.set(token("alice"));
            phone.signOut();

            assertThat(phone.owner()).isEmpty();
            assertThat(phone.pendingOperations()).isEmpty();
            assertThat(todos.lookup("a")).isEmpty();
            assertThat(todos.lookup("b")).isEmpty();
            token.set(token("bob"));
            todos.pull("all");
            assertThat(phone.owner()).contains("bob");
        }
        // Alice's queued write was pushed by the sign-out, not lost.
        OutpostClient reader = OutpostClient.builder().baseUrl("http://127.0.0.1:" + server.port()).build();
        assertThat(reader.getTable("todoitem").lookup("b")).isPresent();
    }

    @Test
    void signingOutWithChangesThatCannotBePushedIsRefusedUnlessTheyAreDiscarded() {
        AtomicReference<String> token = new AtomicReference<>(token("alice"));
        try (SyncContext phone = device(token, "phone"); SyncContext tablet = device(token, "tablet")) {
            SyncTable<ObjectNode> todos = phone.getSyncTable("todoitem");
            todos.insert(SyncFixture.todo("a", "milk"));
            phone.push();
            tablet.getSyncTable("todoitem").pull("all");
            tablet.getSyncTable("todoitem").update(SyncFixture.todo("a", "the tablet's milk"));
            tablet.push();
            todos.update(SyncFixture.todo("a", "the phone's milk"));
            assertThat(phone.push().parked()).hasSize(1);

            assertThatThrownBy(phone::signOut).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("1 operation(s) are not synced");
            assertThat(phone.owner()).contains("alice");
            assertThat(todos.lookup("a")).isPresent();

            phone.signOut(true);

            assertThat(phone.owner()).isEmpty();
            assertThat(phone.pendingOperations()).isEmpty();
            assertThat(todos.lookup("a")).isEmpty();
        }
    }
}
