package dev.outpost.protocol.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ErrorBody;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The answer to a native batch push: {@code {"results": [{id, status, httpStatus, item, error}, …]}}, one result per
 * operation, in the request's order. Immutable. Written and read with Jackson's streaming API: only each result's
 * item and error become trees.
 *
 * @param results the results, in the order of the operations
 */
public record PushResponse(List<OperationResult> results) {
    public PushResponse {
        results = List.copyOf(results);
    }

    /** Writes the answer as UTF-8 JSON to {@code stream} (which stays open). */
    public void writeTo(OutputStream stream) throws IOException {
        Codec.write(stream, this::write);
    }

    /** The answer as compact JSON in UTF-8. */
    public byte[] toBytes() {
        return Codec.bytes(256 * results.size() + 16, this::write);
    }

    private void write(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeArrayFieldStart("results");
        for (OperationResult result : results) {
            out.writeStartObject();
            out.writeStringField("id", result.id());
            out.writeStringField("status", result.status().wireName());
            if (result.httpStatus() != null) {
                out.writeNumberField("httpStatus", result.httpStatus());
            }
            if (result.status() != OperationResult.Status.NOT_FOUND
                    && result.status() != OperationResult.Status.REJECTED) {
                out.writeFieldName("item");
                if (result.item() == null) {
                    out.writeNull();
                } else {
                    out.writeTree(result.item());
                }
            }
            if (result.error() != null) {
                out.writeFieldName("error");
                Codec.MAPPER.writeValue(out, result.error());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    /**
     * Reads an answer from UTF-8 JSON.
     *
     * @throws InvalidMessageException if it is not a push answer (not JSON, no {@code results} array, a result
     *     without {@code id} or with an unknown {@code status})
     */
    public static PushResponse read(byte[] json) {
        return Codec.read(json, "a push answer", PushResponse::read);
    }

    /**
     * Reads an answer from a stream of UTF-8 JSON.
     *
     * @throws IOException             if the stream fails (a cut connection)
     * @throws InvalidMessageException as {@link #read(byte[])}
     */
    public static PushResponse read(InputStream json) throws IOException {
        return Codec.read(json, "a push answer", PushResponse::read);
    }

    private static PushResponse read(JsonParser in) throws IOException {
        Codec.startObject(in, "a push answer");
        List<OperationResult> results = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            JsonToken value = in.nextToken();
            if (name.equals("results") && value == JsonToken.START_ARRAY) {
                results = new ArrayList<>();
                while (in.nextToken() != JsonToken.END_ARRAY) {
                    results.add(result(in, results.size()));
                }
            } else {
                in.skipChildren();
            }
        }
        if (results == null) {
            throw new InvalidMessageException("a push answer must be an object with a \"results\" array");
        }
        return new PushResponse(results);
    }

    private static OperationResult result(JsonParser in, int index) throws IOException {
        if (in.currentToken() != JsonToken.START_OBJECT) {
            throw new InvalidMessageException("result " + index + " is not an object");
        }
        String id = null;
        String status = null;
        Integer httpStatus = null;
        ObjectNode item = null;
        ErrorBody error = null;
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String name = in.currentName();
            in.nextToken();
            switch (name) {
                case "id" -> id = Codec.textOrNull(in, "result " + index + "'s id");
                case "status" -> status = Codec.textOrNull(in, "result " + index + "'s status");
                case "httpStatus" -> httpStatus = in.currentToken() == JsonToken.VALUE_NUMBER_INT
                        ? in.getIntValue() : null;
                case "item" -> item = Codec.objectOrNull(in, "result " + index + "'s item");
                case "error" -> error = ErrorBody.fromJson(Codec.MAPPER.readTree(in), "rejected by the server");
                default -> in.skipChildren();
            }
        }
        OperationResult.Status known = OperationResult.Status.fromWireName(status);
        if (id == null || known == null) {
            throw new InvalidMessageException("result " + index + " needs an \"id\" and a known \"status\", not "
                    + status);
        }
        if (known == OperationResult.Status.REJECTED && error == null) {
            error = ErrorBody.of("rejected", "rejected by the server");
        }
        return new OperationResult(id, known, httpStatus, item, error);
    }
}
