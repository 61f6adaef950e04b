package dev.outpost.client.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.Timestamps;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import okhttp3.Response;

/**
 * A server's answer, read completely: status, the headers the client uses, and the JSON body. Immutable.
 *
 * @param status      HTTP status
 * @param etag        the {@code ETag} as a version (unquoted), or {@code null}
 * @param body        the JSON body, or {@code null} when empty or not JSON
 * @param notJson     whether the answer had a body that is not JSON (an HTML page from a proxy, say)
 * @param contentType the {@code Content-Type}, or {@code null}
 * @param retryAfter  the {@code Retry-After} as a duration, or {@code null}
 * @param horizon     an Outpost server's tombstone horizon ({@code X-Outpost-Tombstone-Horizon}), or {@code null}
 * @param serverTime  the server's time sent with the horizon ({@code X-Outpost-Server-Time}), or {@code null}
 */
public record HttpAnswer(int status, String etag, JsonNode body, boolean notJson, String contentType,
        Duration retryAfter, Instant horizon, Instant serverTime) {

    /** An answer with a JSON body (or none) and no other headers. */
    public HttpAnswer(int status, String etag, JsonNode body) {
        this(status, etag, body, false, null, null, null, null);
    }

    /**
     * Reads a response completely: its status, its strong {@code ETag} (a weak one is ignored), its body as JSON
     * ({@code null} when empty or not JSON) and its {@code Retry-After}.
     *
     * @throws IOException if the body cannot be read
     */
    static HttpAnswer read(Response response) throws IOException {
        byte[] bytes = response.body().bytes();
        JsonNode body = null;
        boolean notJson = false;
        if (!isBlank(bytes)) {
            try {
                body = Json.MAPPER.readTree(bytes);
            } catch (IOException e) {
                notJson = true;
            }
        }
        String etag = ETags.parse(response.header("ETag"));
        if (etag != null && etag.startsWith("W/")) {
            etag = null;
        }
        return new HttpAnswer(response.code(), etag, body, notJson, response.header("Content-Type"),
                retryAfter(response.header("Retry-After"), Instant.now()),
                time(response.header(OutpostHeaders.TOMBSTONE_HORIZON)),
                time(response.header(OutpostHeaders.SERVER_TIME)));
    }

    /** A time header's value; {@code null} when absent or not a time (ignored, as an unknown header would be). */
    static Instant time(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Timestamps.parse(value.trim());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** A {@code Retry-After} value (seconds, or an HTTP date) as a duration from {@code now}; {@code null}: none. */
    static Duration retryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit) && text.length() <= 9) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (DateTimeParseException e) {
            return null;
        }
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

    /** Whether the status is a failure of the server to serve the request for now: 5xx, 408 or 429. */
    public boolean isServerFailure() {
        return status >= 500 || status == 408 || status == 429;
    }

    /**
     * Whether the server refused the request's protocol version, as the official servers answer a client that sends
     * the other one ({@code 400 "An invalid API version was specified … ZUMO-API-VERSION of 2.0.0"}).
     */
    public boolean isVersionRefusal() {
        if (status != 400 || body == null) {
            return false;
        }
        String message = error().error().toLowerCase(Locale.ROOT);
        return message.contains("api version") || message.contains("zumo-api-version");
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

    /** The error body, read from whatever JSON the server sent (or saying what the server sent instead). */
    public ErrorBody error() {
        if (notJson) {
            return ErrorBody.of("notJson", "HTTP " + status + " with a body that is not JSON ("
                    + (contentType == null ? "no Content-Type" : contentType) + ")");
        }
        return ErrorBody.fromJson(body, "HTTP " + status);
    }
}
