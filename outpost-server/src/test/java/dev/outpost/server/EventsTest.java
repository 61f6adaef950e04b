package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.EventReader.Event;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The change events of {@code /outpost/v1/events} over real HTTP, on SQLite and PostgreSQL. */
class EventsTest {
    private static final Map<String, String> V3 = Map.of("ZUMO-API-VERSION", "3.0.0");

    private static long updatedAt(Reply reply) {
        return Instant.parse(reply.json().get("updatedAt").asText()).toEpochMilli();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aStreamStartsReadyThenAnnouncesEachCommitWithItsPosition(TestDatabase db) {
        try (TestServer server = TestServer.start(db);
             EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem,Tags", V3)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.header("Content-Type")).startsWith("text/event-stream");
            Event ready = events.nextEvent();
            assertThat(ready.name()).isEqualTo("ready");
            assertThat(ready.id()).isEqualTo("todoitem:0,tags:0");
            assertThat(ready.json().get("resumed").asBoolean()).isFalse();
            assertThat(ready.json().get("tables").toString()).isEqualTo("[\"todoitem\",\"Tags\"]");

            Reply inserted = server.v3("POST", "/tables/todoitem", "{\"id\": \"a1\", \"text\": \"milk\"}");
            assertThat(inserted.status()).isEqualTo(201);
            Event change = events.nextEvent();
            assertThat(change.name()).isEqualTo("change");
            assertThat(change.json().get("table").asText()).isEqualTo("todoitem");
            assertThat(change.json().get("position").asText()).isEqualTo(String.valueOf(updatedAt(inserted)));
            assertThat(change.id()).isEqualTo("todoitem:" + updatedAt(inserted) + ",tags:0");

            Reply tag = server.v3("POST", "/tables/tags", "{\"id\": \"t1\", \"name\": \"home\"}");
            Event tagChange = events.nextEvent();
            assertThat(tagChange.json().get("table").asText()).isEqualTo("Tags");
            assertThat(tagChange.id()).isEqualTo("todoitem:" + updatedAt(inserted) + ",tags:" + updatedAt(tag));
        }
    }
}
