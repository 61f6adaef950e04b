package dev.outpost.client.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.ErrorBody;
import java.io.IOException;
import okhttp3.Response;

/**
 * A server's answer, read completely: status, the headers the client uses, and the JSON body. Immutable.
 *
 * @param status   HTTP status
 * @param etag     the {@code ETag} as a version (unquoted), or {@code null}
 * @param body     the JSON body, or {@code null} when empty or not JSON
 */
public record HttpAnswer(int status, String etag, JsonNode body) {

    /**
     * Reads a response completely: its status, its strong {@code ETag} (a weak one is ignored) and its body as JSON
     * ({@code null} when empty or not JSON).
     *
     * @throws IOException if the body cannot be read
     */
    static HttpAnswer read(Response response) throws IOException {
        byte[] bytes = response.body().bytes();
        JsonNode body = null;
        if (!isBlank(bytes)) {
            try {
                body = Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                body = null;
            }
        }
        String etag = ETags.parse(response.header("ETag"));
        if (etag != null && etag.startsWith("W/")) {
            etag = null;
        }
        return new HttpAnswer(response.code(), etag, body);
    }

    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** Whether the status is 2xx. */
    public boolean isSuccessful() {
        return status >= 200 && status < 300;
    }

    /** The body as an object with {@code version} set from the ETag when the body lacks one; else {@code null}. */
    public ObjectNode record() {
        if (body == null || !body.isObject()) {
            return null;
        }
        ObjectNode record = (ObjectNode) body;
        if (etag != null && (!record.hasNonNull("version"))) {
            record.put("version", etag);
        }
        return record;
    }

    /** The error body, read from whatever JSON the server sent. */
    public ErrorBody error() {
        return ErrorBody.fromJson(body, "HTTP " + status);
    }
}
