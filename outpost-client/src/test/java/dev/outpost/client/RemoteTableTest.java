package dev.outpost.client;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.RecordConflictException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.testing.Backend;
import dev.outpost.client.testing.Target;
import dev.outpost.client.testing.Todo;
import java.io.IOException;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Online CRUD and queries, JSON and typed. */
class RemoteTableTest {

    @TempDir
    Path dir;

    private static OutpostClient client(Backend server, Target target) {
        return OutpostClient.builder().baseUrl(server.url()).protocol(target.protocol()).build();
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void crudAndQueriesWorkOnline(Target mode) {
        try (Backend server = mode.start(dir)) {
            RemoteTable<ObjectNode> table = client(server, mode).getTable("todoitem");

            ObjectNode inserted = table.insert(todo(null, "milk").without("id"));
            String id = inserted.get("id").asText();
            ObjectNode updated = table.update(inserted.put("text", "oat milk"));
            table.insert(todo("b", "bread").put("complete", true));

            assertThat(updated.get("version").asText()).isNotEqualTo(inserted.get("version").asText());
            assertThat(table.lookup(id).orElseThrow().get("text").asText()).isEqualTo("oat milk");
            assertThat(table.query().where("complete eq true").list().items()).extracting(r -> r.get("id").asText())
                    .containsExactly("b");

            table.delete(updated);
            assertThat(table.lookup(id)).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void aStaleUpdateIsARecordConflictWithTheServersRecord(Target mode) {
        try (Backend server = mode.start(dir)) {
            RemoteTable<ObjectNode> table = client(server, mode).getTable("todoitem");
            ObjectNode mine = table.insert(todo("a", "milk"));
            server.write("todoitem", todo("a", "changed elsewhere"));

            assertThatThrownBy(() -> table.update(mine.put("text", "stale")))
                    .isInstanceOfSatisfying(RecordConflictException.class, e -> {
                        assertThat(e.status()).isEqualTo(412);
                        assertThat(e.serverRecord().get("text").asText()).isEqualTo("changed elsewhere");
                    });
        }
    }

    @Test
    void typedTablesMapJavaRecords() {
        try (Backend server = Target.OUTPOST_V3.start(dir)) {
            RemoteTable<Todo> table = client(server, Target.OUTPOST_V3).getTable("todoitem", Todo.class);

            Todo stored = table.insert(Todo.of("milk"));

            assertThat(stored.id()).isNotNull();
            assertThat(stored.version()).isNotNull();
            assertThat(stored.updatedAt()).isNotNull();
            assertThat(table.query().list().items()).containsExactly(stored);
        }
    }

    @Test
    void serverErrorsBecomeServerResponseExceptionsWithTheErrorBody() throws IOException {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(400).body("{\"error\":\"bad filter\",\"code\":\"invalidFilter\"}")
                    .build());
            server.enqueue(new MockResponse.Builder().code(401).body("{\"error\":\"no token\"}").build());
            // A set protocol: in auto mode the client would first ask which dialect the server speaks.
            RemoteTable<ObjectNode> table = OutpostClient.builder().baseUrl(server.url("/").toString())
                    .protocol(Protocol.V3).build().getTable("todoitem");

            assertThatThrownBy(() -> table.query().list())
                    .isInstanceOfSatisfying(ServerResponseException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.error().code()).isEqualTo("invalidFilter");
                    });
            assertThatThrownBy(() -> table.lookup("a")).isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void queriesAreWrittenInTheChosenDialect() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder().code(200).body("{\"results\":[],\"count\":0}").build());
            server.enqueue(new MockResponse.Builder().code(200).body("{\"items\":[],\"count\":0}").build());
            OutpostClient v2 = OutpostClient.builder().baseUrl(server.url("/").toString()).protocol(Protocol.V2)
                    .build();

            QueryResult<ObjectNode> result = v2.getTable("todoitem").query().where("contains(text, 'milk')")
                    .orderBy("text").skip(5).top(10).includeTotalCount().list();
            v2.newBuilder().protocol(Protocol.V3).build().getTable("todoitem").query()
                    .where("contains(text, 'milk')").includeTotalCount().list();

            RecordedRequest first = server.takeRequest();
            assertThat(first.getUrl().queryParameter("$filter")).isEqualTo("substringof('milk',text)");
            assertThat(first.getUrl().queryParameter("$inlinecount")).isEqualTo("allpages");
            assertThat(first.getUrl().queryParameter("$skip")).isEqualTo("5");
            assertThat(result.totalCount()).hasValue(0);
            RecordedRequest second = server.takeRequest();
            assertThat(second.getUrl().queryParameter("$filter")).isEqualTo("contains(text,'milk')");
            assertThat(second.getUrl().queryParameter("$count")).isEqualTo("true");
            assertThat(second.getHeaders().get("ZUMO-API-VERSION")).isEqualTo("3.0.0");
        }
    }

    @Test
    void theBuilderRefusesAMissingOrBadBaseUrl() {
        assertThatThrownBy(() -> OutpostClient.builder().build()).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("base URL");
        assertThatThrownBy(() -> OutpostClient.builder().baseUrl("ftp://x")).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining("ftp://x");
    }
}
