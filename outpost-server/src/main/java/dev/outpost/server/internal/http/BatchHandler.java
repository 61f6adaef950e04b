package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.server.internal.store.BatchPush;
import dev.outpost.server.internal.table.InvalidRecordException;
import dev.outpost.server.internal.table.ParsedRecord;
import dev.outpost.server.internal.table.RecordParser;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code POST /outpost/v1/push}: the native batch push. Checks the whole request first (a malformed one is a 400
 * and applies nothing), then prepares each operation (refusing invalid ones individually), applies the rest in
 * order in one transaction ({@link BatchPush}) and answers one result per operation.
 */
final class BatchHandler implements Handler {
    private static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final TableServices services;
    private final BatchPush batchPush;

    BatchHandler(TableServices services, BatchPush batchPush) {
        this.services = services;
        this.batchPush = batchPush;
    }

    /** A checked operation of the request. */
    private record Operation(String id, String table, BatchPush.Kind kind, String itemId, String version,
                             JsonNode item) {
    }

    @Override
    public void handle(Context ctx) throws JsonProcessingException {
        List<Operation> operations = read(ctx);
        List<Object> prepared = new ArrayList<>();
        for (Operation operation : operations) {
            prepared.add(prepare(operation));
        }
        List<BatchPush.Write> writes = new ArrayList<>();
        for (int i = 0; i < prepared.size(); i++) {
            if (prepared.get(i) instanceof ParsedOperation parsed) {
                try {
                    BatchPush.Write write = parsed.toWrite(services.registry());
                    writes.add(write);
                    prepared.set(i, write);
                } catch (RuntimeException e) {
                    prepared.set(i, rejection(operations.get(i), e));
                }
            }
        }
        List<BatchPush.Outcome> outcomes = writes.isEmpty() ? List.of() : batchPush.apply(writes);
        ArrayNode results = RequestLimits.JSON.createArrayNode();
        int next = 0;
        for (int i = 0; i < prepared.size(); i++) {
            Object entry = prepared.get(i);
            if (entry instanceof ObjectNode rejected) {
                results.add(rejected);
            } else {
                results.add(result(operations.get(i).id(), outcomes.get(next++)));
            }
        }
        ObjectNode body = RequestLimits.JSON.createObjectNode();
        body.set("results", results);
        ctx.status(200).contentType("application/json")
                .result(RequestLimits.JSON.writeValueAsBytes(body));
    }

    private List<Operation> read(Context ctx) {
        JsonNode root = RequestLimits.readJson(ctx, services.settings().maxBatchBody());
        JsonNode array = root.path("operations");
        if (!root.isObject() || !array.isArray()) {
            throw malformed("the body must be an object with an \"operations\" array");
        }
        if (array.size() > services.settings().maxBatchOperations()) {
            throw new InvalidRequestException(400, "tooManyOperations", "a batch holds at most "
                    + services.settings().maxBatchOperations() + " operations, not " + array.size());
        }
        List<Operation> operations = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode node = array.get(i);
            if (!node.isObject()) {
                throw malformed("operation " + i + " is not an object");
            }
            String id = text(node, "id", i);
            if (!OPERATION_ID.matcher(id).matches()) {
                throw malformed("operation " + i + " has an invalid id (1-128 characters of A-Z a-z 0-9 _ . : -)");
            }
            if (!ids.add(id)) {
                throw malformed("operation id '" + id + "' appears twice in the batch");
            }
            String table = text(node, "table", i);
            BatchPush.Kind kind = kind(text(node, "kind", i), i);
            JsonNode itemId = node.get("itemId");
            if (itemId == null || !(itemId.isTextual() || itemId.isIntegralNumber()) || itemId.asText().isEmpty()) {
                throw malformed("operation " + i + " needs an \"itemId\" string");
            }
            JsonNode version = node.get("version");
            if (version != null && !version.isNull() && !version.isTextual()) {
                throw malformed("operation " + i + " has a \"version\" that is not a string");
            }
            JsonNode item = node.get("item");
            if (kind != BatchPush.Kind.DELETE && (item == null || !item.isObject())) {
                throw malformed("operation " + i + " (" + kind.name().toLowerCase(Locale.ROOT)
                        + ") needs an \"item\" object");
            }
            operations.add(new Operation(id, table, kind, itemId.asText(),
                    version == null || version.isNull() ? null : version.asText(), item));
        }
        return operations;
    }

    private static String text(JsonNode node, String field, int index) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw malformed("operation " + index + " needs a \"" + field + "\" string");
        }
        return value.asText();
    }

    private static BatchPush.Kind kind(String kind, int index) {
        switch (kind) {
            case "insert":
                return BatchPush.Kind.INSERT;
            case "update":
                return BatchPush.Kind.UPDATE;
            case "delete":
                return BatchPush.Kind.DELETE;
            default:
                throw malformed("operation " + index + " has an unknown kind (expected insert, update or delete)");
        }
    }

    private static InvalidRequestException malformed(String message) {
        return new InvalidRequestException(400, "invalidBatch", message);
    }

    /** An operation that passed the record rules, with its table prepared (created or grown when dynamic). */
    private record ParsedOperation(Operation operation, String table, ParsedRecord record) {
        BatchPush.Write toWrite(TableRegistry registry) {
            TableSchema schema = table == null ? null : registry.require(table);
            return new BatchPush.Write(operation.id(), schema, operation.kind(), operation.itemId(),
                    operation.version(), record == null || schema == null ? Map.of()
                    : TableRegistry.values(schema, record));
        }
    }

    private Object prepare(Operation operation) {
        try {
            RecordParser.requireValidId(operation.itemId());
            ParsedRecord record = null;
            if (operation.item() != null && operation.kind() != BatchPush.Kind.DELETE) {
                record = RecordParser.parse((ObjectNode) operation.item(), ProtocolVersion.V3);
                if (record.id() != null && !record.id().equals(operation.itemId())) {
                    throw new InvalidRecordException("idMismatch", "id", "item.id differs from itemId");
                }
            }
            TableRegistry registry = services.registry();
            if (operation.kind() == BatchPush.Kind.INSERT) {
                TableSchema schema = registry.prepareWrite(operation.table(), record, true);
                return new ParsedOperation(operation, schema.name(), record);
            }
            TableSchema existing = registry.find(operation.table());
            if (existing == null) {
                if (!registry.isDynamic()) {
                    throw new UnknownTableException(operation.table());
                }
                return new ParsedOperation(operation, null, null);
            }
            if (record != null) {
                existing = registry.prepareWrite(existing.name(), record, false);
            }
            return new ParsedOperation(operation, existing.name(), record);
        } catch (RuntimeException e) {
            return rejection(operation, e);
        }
    }

    /** The result of an operation refused for its record or table; anything else fails the whole request. */
    private static ObjectNode rejection(Operation operation, RuntimeException e) {
        ErrorMapper.Answer answer = ErrorMapper.answer(e, ProtocolVersion.V3, false, "POST /outpost/v1/push");
        if (!(answer instanceof ErrorMapper.Answer.Error refusal) || refusal.status() >= 500) {
            throw e;
        }
        ObjectNode result = RequestLimits.JSON.createObjectNode();
        result.put("id", operation.id());
        result.put("status", "rejected");
        result.put("httpStatus", refusal.status());
        result.set("error", RequestLimits.JSON.valueToTree(refusal.body()));
        return result;
    }

    private static ObjectNode result(String id, BatchPush.Outcome outcome) {
        ObjectNode result = RequestLimits.JSON.createObjectNode();
        result.put("id", id);
        switch (outcome.status()) {
            case APPLIED:
                result.put("status", "applied");
                result.set("item", outcome.item());
                break;
            case ALREADY_APPLIED:
                result.put("status", "alreadyApplied");
                result.set("item", outcome.item());
                break;
            case VERSION_CONFLICT:
                result.put("status", "conflict");
                result.put("httpStatus", 412);
                result.set("item", outcome.item());
                break;
            case DUPLICATE_ID:
                result.put("status", "conflict");
                result.put("httpStatus", 409);
                result.set("item", outcome.item());
                break;
            case GONE:
                result.put("status", "gone");
                result.put("httpStatus", 410);
                result.set("item", outcome.item());
                break;
            case NOT_FOUND:
            default:
                result.put("status", "notFound");
                result.put("httpStatus", 404);
                break;
        }
        return result;
    }
}
