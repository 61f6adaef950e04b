package dev.outpost.client.internal.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.sync.OperationKind;
import java.util.ArrayList;
import java.util.List;

/** An {@link Operation} as a row of the queue's table, and back. Stateless, thread-safe. */
final class OperationRows {
    private OperationRows() {
    }

    /** The row that stores {@code op}. */
    static ObjectNode write(Operation op) {
        ObjectNode row = Json.object();
        row.put("id", op.id());
        row.put("sequence", op.sequence());
        row.put("tableName", op.table());
        row.put("itemId", op.itemId());
        row.put("kind", op.kind().wireName());
        row.put("state", op.state().name());
        row.put("revision", op.revision());
        row.put("attempts", op.attempts());
        row.put("baseVersion", op.baseVersion());
        row.set("base", op.base());
        row.set("item", op.item());
        row.put("queuedAt", Timestamps.format(op.queuedAt()));
        row.put("httpStatus", op.httpStatus());
        row.set("error", op.error() == null ? null : Json.MAPPER.valueToTree(op.error()));
        row.set("serverRecord", op.serverRecord());
        row.put("reason", op.reason());
        row.put("keepClient", op.keepClient());
        row.set("sentEarlier", sentEarlier(op));
        return row;
    }

    /** The operation a row stores. */
    static Operation read(ObjectNode row) {
        String state = row.get("state").asText();
        return new Operation(
                row.get("id").asText(),
                row.get("sequence").asLong(),
                row.get("tableName").asText(),
                row.get("itemId").asText(),
                kind(row.get("kind").asText()),
                PendingOperation.State.valueOf(state),
                row.get("revision").asLong(),
                row.get("attempts").asInt(),
                Json.text(row, "baseVersion"),
                object(row.get("base")),
                object(row.get("item")),
                Timestamps.parse(row.get("queuedAt").asText()),
                state.equals(PendingOperation.State.PARKED.name()) ? parking(row) : null,
                row.path("keepClient").asBoolean(false),
                sentEarlier(row.get("sentEarlier")));
    }

    private static OperationKind kind(String wireName) {
        OperationKind kind = OperationKind.fromWireName(wireName);
        if (kind == null) {
            throw new IllegalStateException("the queue holds an operation of unknown kind '" + wireName + "'");
        }
        return kind;
    }

    private static Operation.Parking parking(ObjectNode row) {
        JsonNode status = row.get("httpStatus");
        JsonNode error = row.get("error");
        return new Operation.Parking(
                status == null || status.isNull() ? null : status.asInt(),
                error == null || error.isNull() ? null : ErrorBody.fromJson(error, "error"),
                object(row.get("serverRecord")),
                Json.text(row, "reason"));
    }

    /** The earlier attempts' contents as a JSON array, or {@code null} when there are none. */
    static ArrayNode sentEarlier(Operation op) {
        if (op.sentEarlier().isEmpty()) {
            return null;
        }
        ArrayNode array = Json.MAPPER.createArrayNode();
        op.sentEarlier().forEach(array::add);
        return array;
    }

    private static List<ObjectNode> sentEarlier(JsonNode node) {
        if (node == null || !node.isArray()) {
            return List.of();
        }
        List<ObjectNode> contents = new ArrayList<>();
        node.forEach(content -> {
            if (content.isObject()) {
                contents.add((ObjectNode) content);
            }
        });
        return contents;
    }

    private static ObjectNode object(JsonNode node) {
        return node != null && node.isObject() ? (ObjectNode) node : null;
    }
}
