package dev.outpost.client.internal.push;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.protocol.sync.OperationKind;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batch request body, written straight to bytes, is the JSON the native push expects. */
class BatchPushWriteTest {

    private static Operation op(String id, String itemId, OperationKind kind, String version) {
        return Operation.queued(id, 1, "todoitem", itemId, kind, version, null, null, Instant.EPOCH).sent(null);
    }

    @Test
    void itemsLeaveOutTheServerManagedPropertiesAndDeletesHaveNoItem() {
        ObjectNode record = (ObjectNode) Json.parse("{\"id\":\"a\",\"text\":\"caf\u00e9 \\\"quoted\\\" \\u0001\","
                + "\"complete\":true,\"nested\":{\"list\":[1,2.5,null]},\"updatedAt\":\"2026-01-01T00:00:00.000Z\","
                + "\"Version\":\"v1\",\"deleted\":false,\"CREATEDAT\":null,\"priority\":null}");
        List<SentOperation> batch = List.of(
                new SentOperation(op("op1", "a", OperationKind.UPDATE, "v1"), record, List.of()),
                new SentOperation(op("op2", "b", OperationKind.INSERT, null), (ObjectNode) Json.parse("{\"id\":\"b\"}"),
                        List.of()),
                new SentOperation(op("op3", "c", OperationKind.DELETE, "v7"), null, List.of()));

        ObjectNode written = (ObjectNode) Json.parse(new String(BatchPush.write(batch),
                java.nio.charset.StandardCharsets.UTF_8));

        assertThat(written).isEqualTo(Json.parse("{\"operations\":["
                + "{\"id\":\"op1\",\"table\":\"todoitem\",\"kind\":\"update\",\"itemId\":\"a\",\"version\":\"v1\","
                + "\"item\":{\"id\":\"a\",\"text\":\"caf\u00e9 \\\"quoted\\\" \\u0001\",\"complete\":true,"
                + "\"nested\":{\"list\":[1,2.5,null]},\"priority\":null}},"
                + "{\"id\":\"op2\",\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"b\",\"version\":null,"
                + "\"item\":{\"id\":\"b\"}},"
                + "{\"id\":\"op3\",\"table\":\"todoitem\",\"kind\":\"delete\",\"itemId\":\"c\",\"version\":\"v7\"}]}"));
        assertThat(record.has("updatedAt")).as("the local record is left as it was").isTrue();
    }

    @Test
    void anEmptyBatchIsAnEmptyList() {
        assertThat(Json.parse(new String(BatchPush.write(List.of()), java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo(Json.parse("{\"operations\":[]}"));
    }
}
