package dev.outpost.protocol.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The body of {@code POST /outpost/v1/push}: {@code {"operations": [{id, table, kind, itemId, version, item}, …]}},
 * applied in order in one transaction. Immutable.
 *
 * <p>Writing streams straight to bytes (a batch of 500 operations is on the client's hot path); reading checks the
 * format (a server's own limits, such as the most operations in a batch or the shape of an operation id, are its
 * policy and are not checked here).
 *
 * @param operations the operations, in the order they are to be applied
 */
public record PushRequest(List<PushOperation> operations) {
    public PushRequest {
        operations = List.copyOf(operations);
    }

    /** The request as compact JSON in UTF-8. */
    public byte[] toBytes() {
        return Codec.bytes(256 * operations.size() + 32, this::write);
    }

    private void write(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("operations");
        for (PushOperation op : operations) {
            out.writeStartObject();
            out.writeStringField("id", op.id());
            out.writeStringField("table", op.table());
            out.writeStringField("kind", op.kind().wireName());
            out.writeStringField("itemId", op.itemId());
            out.writeStringField("version", op.version());
            if (op.kind() != OperationKind.DELETE) {
                out.writeFieldName("item");
                Codec.writeItem(out, op.item());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /**
     * Reads a request from UTF-8 JSON.
     *
     * @throws InvalidMessageException if it is not a push request: not JSON, no {@code operations} array, an
     *     operation without {@code id}, {@code table}, {@code kind} or {@code itemId}, an unknown kind, an insert or
     *     update without an {@code item} object, a {@code version} that is not a string, or an operation id that
     *     appears twice
     */
    public static PushRequest read(byte[] json) {
        JsonNode root = Codec.read(json, "a push request", in -> Codec.MAPPER.readTree(in));
        return of(root);
    }

    /**
     * Reads a request already parsed as a tree (a server that read the body within its limits).
     *
     * @throws InvalidMessageException as {@link #read(byte[])}
     */
    public static PushRequest of(JsonNode root) {
        JsonNode array = root == null ? null : root.path("operations");
        if (root == null || !root.isObject() || !array.isArray()) {
            throw new InvalidMessageException("the body must be an object with an \"operations\" array");
        }
        List<PushOperation> operations = new ArrayList<>(array.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            PushOperation op = operation(array.get(i), i);
            if (!ids.add(op.id())) {
                throw new InvalidMessageException("operation id '" + op.id() + "' appears twice in the batch");
            }
            operations.add(op);
        }
        return new PushRequest(operations);
    }

    private static PushOperation operation(JsonNode node, int index) {
        if (!node.isObject()) {
            throw new InvalidMessageException("operation " + index + " is not an object");
        }
        String id = text(node, "id", index);
        String table = text(node, "table", index);
        OperationKind kind = OperationKind.fromWireName(text(node, "kind", index));
        if (kind == null) {
            throw new InvalidMessageException("operation " + index
                    + " has an unknown kind (expected insert, update or delete)");
        }
        // Ids that are JSON numbers are taken as their text, as the table routes take numeric ids.
        JsonNode itemId = node.get("itemId");
        if (itemId == null || !(itemId.isTextual() || itemId.isIntegralNumber()) || itemId.asText().isEmpty()) {
            throw new InvalidMessageException("operation " + index + " needs an \"itemId\" string");
        }
        JsonNode version = node.get("version");
        if (version != null && !version.isNull() && !version.isTextual()) {
            throw new InvalidMessageException("operation " + index + " has a \"version\" that is not a string");
        }
        JsonNode item = node.get("item");
        if (kind != OperationKind.DELETE && (item == null || !item.isObject())) {
            throw new InvalidMessageException("operation " + index + " (" + kind.wireName()
                    + ") needs an \"item\" object");
        }
        return new PushOperation(id, table, kind, itemId.asText(),
                version == null || version.isNull() ? null : version.asText(),
                kind == OperationKind.DELETE || item == null || !item.isObject() ? null : (ObjectNode) item);
    }

    private static String text(JsonNode node, String field, int index) {
        JsonNode value = node.get(field);
        if (!Codec.isText(value)) {
            throw new InvalidMessageException("operation " + index + " needs " + (field.equals("id") ? "an" : "a")
                    + " \"" + field + "\" string");
        }
        return value.asText();
    }
}
