package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.SyncTable;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;
import dev.outpost.client.testing.Target;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A queue longer than one batch (500 operations), over two tables, with every kind of operation and collapsed ones among them: one
 * push leaves the server holding exactly what the device holds, and a second device pulls the same.
 */
class LargePushTest {
    @SyncTest({Target.OUTPOST_AUTO, Target.FAKE_NATIVE})
    void aLongMixedQueueArrivesWhole(SyncFixture fixture) {
        for (int i = 0; i < 200; i++) {
            fixture.server.write("todoitem", todo(String.format("old-%04d", i), "server " + i));
        }
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        assertThat(phone.todos().pull("all").upserted()).isEqualTo(200);
        SyncTable<ObjectNode> notes = phone.sync().getSyncTable("note");

        for (int i = 0; i < 600; i++) {
            phone.todos().insert(todo(String.format("new-%04d", i), "new " + i));
        }
        for (int i = 0; i < 600; i += 3) {
            phone.todos().update(todo(String.format("new-%04d", i), "new, then changed " + i));
        }
        for (int i = 1; i < 600; i += 9) {
            phone.todos().deleteById(String.format("new-%04d", i));
        }
        for (int i = 0; i < 200; i += 2) {
            phone.todos().update(todo(String.format("old-%04d", i), "changed here " + i));
        }
        for (int i = 1; i < 200; i += 4) {
            phone.todos().deleteById(String.format("old-%04d", i));
        }
        for (int i = 0; i < 100; i++) {
            notes.insert(JsonNodeFactory.instance.objectNode().put("text", "note " + i));
        }
        int queued = phone.sync().pendingOperations().size();
        // 600 inserts, 67 of them deleted before being sent; 100 updates and 50 deletes; 100 notes.
        assertThat(queued).isEqualTo(533 + 100 + 50 + 100);

        PushResult pushed = phone.sync().push();

        assertThat(pushed.isComplete()).isTrue();
        assertThat(pushed.pushed()).isEqualTo(queued);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        Map<String, String> local = texts(phone.todos().query().top(10_000).list().items());
        assertThat(local).hasSize(200 - 50 + 533);
        assertThat(texts(fixture.server.liveRecords("todoitem"))).isEqualTo(local);
        assertThat(texts(fixture.server.liveRecords("note")))
                .isEqualTo(texts(notes.query().top(10_000).list().items())).hasSize(100);

        SyncFixture.Device tablet = fixture.device("tablet", ConflictHandlers.park());
        tablet.todos().pull("all");
        assertThat(texts(tablet.todos().query().top(10_000).list().items())).isEqualTo(local);
    }

    private static Map<String, String> texts(List<ObjectNode> records) {
        return records.stream().collect(Collectors.toMap(r -> r.get("id").asText(), r -> r.get("text").asText(),
                (a, b) -> a, TreeMap::new));
    }

    /**
     * Batches follow each other in queue order on the server (each record's {@code updatedAt} is the order the
     * server applied it), also when an answer sends an operation again: the conflicted update, resolved by keeping
     * the client's change, is applied before the next batch.
     */
    @SyncTest({Target.OUTPOST_AUTO})
    void batchesArriveInQueueOrderAndAResentOperationGoesBeforeTheNextBatch(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("shared", "from the server"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.clientWins());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("shared", "changed on the server meanwhile"));

        List<String> order = new java.util.ArrayList<>();
        for (int i = 0; i < 1100; i++) {
            order.add(String.format("new-%04d", i));
        }
        for (int i = 0; i < 300; i++) {
            phone.todos().insert(todo(order.get(i), "new " + i));
        }
        phone.todos().update(todo("shared", "changed here"));
        for (int i = 300; i < 1100; i++) {
            phone.todos().insert(todo(order.get(i), "new " + i));
        }

        PushResult pushed = phone.sync().push();

        assertThat(pushed.isComplete()).isTrue();
        assertThat(pushed.resolved()).isEqualTo(1);
        assertThat(fixture.server.record("todoitem", "shared").get("text").asText()).isEqualTo("changed here");
        List<String> applied = fixture.server.liveRecords("todoitem").stream()
                .sorted(java.util.Comparator.comparing((ObjectNode r) -> r.get("updatedAt").asText())
                        .thenComparing(r -> r.get("id").asText()))
                .map(r -> r.get("id").asText()).toList();
        // The first batch holds 500 operations: new-0000 … new-0299, the update, new-0300 … new-0498.
        List<String> expected = new java.util.ArrayList<>(order.subList(0, 499));
        expected.add("shared");
        expected.addAll(order.subList(499, 1100));
        assertThat(applied).containsExactlyElementsOf(expected);
    }
}
