package dev.outpost.client.internal.push;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.internal.http.HttpAnswer;
import dev.outpost.client.internal.http.NativeUnavailableException;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.sync.OperationKind;
import dev.outpost.protocol.ErrorBody;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes operations in batches through Outpost's native {@code POST /outpost/v1/push}, which applies them in order
 * in one transaction and is idempotent by operation id, so a batch whose answer was lost is simply sent again.
 * A batch refused as a whole for its size (400/413) is split in halves. Thread-safe.
 */
final class BatchPush implements Transport {
    static final int BATCH_SIZE = 500;

    private final dev.outpost.client.internal.http.TableApi api;

    BatchPush(dev.outpost.client.internal.http.TableApi api) {
        this.api = api;
    }

    @Override
    public int batchSize() {
        return BATCH_SIZE;
    }

    @Override
    public Call call(List<SentOperation> operations) {
        byte[] body = write(operations);
        return () -> send(operations, body);
    }

    @Override
    public List<Verdict> send(List<SentOperation> operations) {
        return send(operations, write(operations));
    }

    private List<Verdict> send(List<SentOperation> operations, byte[] body) {
        HttpAnswer answer = api.nativePush(body);
        if (answer.status() == 401) {
            throw new AuthenticationException("POST /outpost/v1/push", answer.error());
        }
        if (NativeUnavailableException.isMissingEndpoint(answer)) {
            throw new NativeUnavailableException("POST /outpost/v1/push");
        }
        if ((answer.status() == 400 || answer.status() == 413) && operations.size() > 1) {
            int half = operations.size() / 2;
            List<Verdict> verdicts = new ArrayList<>(send(operations.subList(0, half)));
            verdicts.addAll(send(operations.subList(half, operations.size())));
            return verdicts;
        }
        if (!answer.isSuccessful() || answer.body() == null || !answer.body().path("results").isArray()) {
            Verdict.Kind kind = answer.status() >= 500 || answer.status() == 408 || answer.status() == 429
                    || answer.isSuccessful() ? Verdict.Kind.TRANSIENT : Verdict.Kind.REJECTED;
            List<Verdict> verdicts = new ArrayList<>();
            for (int i = 0; i < operations.size(); i++) {
                verdicts.add(new Verdict(kind, answer.status(), null, answer.error()));
            }
            return verdicts;
        }
        Map<String, JsonNode> results = new HashMap<>();
        for (JsonNode result : answer.body().get("results")) {
            results.put(result.path("id").asText(), result);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (SentOperation sent : operations) {
            verdicts.add(verdict(results.get(sent.operation().id())));
        }
        return verdicts;
    }

    /**
     * The batch as JSON, written straight to bytes: {@code {"operations": [{id, table, kind, itemId, version,
     * item}]}}, each item being the record without its system properties (as {@link Records#insertBody}).
     */
    static byte[] write(List<SentOperation> operations) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256 * operations.size());
        try (JsonGenerator out = Json.MAPPER.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeArrayFieldStart("operations");
            for (SentOperation sent : operations) {
                Operation op = sent.operation();
                out.writeStartObject();
                out.writeStringField("id", op.id());
                out.writeStringField("table", op.table());
                out.writeStringField("kind", op.kind().wireName());
                out.writeStringField("itemId", op.itemId());
                out.writeStringField("version", op.baseVersion());
                if (op.kind() != OperationKind.DELETE) {
                    out.writeObjectFieldStart("item");
                    for (Map.Entry<String, JsonNode> field : sent.payload().properties()) {
                        if (!Records.isServerManaged(field.getKey())) {
                            out.writeFieldName(field.getKey());
                            out.writeTree(field.getValue());
                        }
                    }
                    out.writeEndObject();
                }
                out.writeEndObject();
            }
            out.writeEndArray();
            out.writeEndObject();
        } catch (IOException e) {
            // Writing to memory fails only if a value cannot be written at all.
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static Verdict verdict(JsonNode result) {
        if (result == null) {
            return new Verdict(Verdict.Kind.TRANSIENT, 200, null,
                    ErrorBody.of("missingResult", "the server's answer has no result for this operation"));
        }
        ObjectNode item = result.path("item").isObject() ? (ObjectNode) result.get("item") : null;
        int status = result.path("httpStatus").asInt(200);
        switch (result.path("status").asText()) {
            case "applied":
                return Verdict.of(Verdict.Kind.APPLIED, 200, item);
            case "alreadyApplied":
                return Verdict.of(Verdict.Kind.ALREADY_APPLIED, 200, item);
            case "conflict":
                return Verdict.of(Verdict.Kind.CONFLICT, status, item);
            case "gone":
                return Verdict.of(Verdict.Kind.GONE, 410, item);
            case "notFound":
                return Verdict.of(Verdict.Kind.NOT_FOUND, 404, null);
            default:
                return new Verdict(Verdict.Kind.REJECTED, result.path("httpStatus").asInt(400), null,
                        ErrorBody.fromJson(result.get("error"), "rejected by the server"));
        }
    }
}
