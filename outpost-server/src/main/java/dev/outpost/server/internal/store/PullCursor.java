package dev.outpost.server.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.Timestamps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * A position in a table's change order {@code (updatedAt, id)}: the native pull's opaque cursor, base64url of
 * {@code {"u":"<updatedAt>","i":"<id>"}}. Immutable.
 *
 * @param updatedAt the {@code updatedAt} of the last record seen
 * @param id        the {@code id} of the last record seen
 */
public record PullCursor(Instant updatedAt, String id) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public PullCursor {
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(id, "id");
    }

    /** The opaque text form. */
    public String encode() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("u", Timestamps.format(updatedAt));
        node.put("i", id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads the opaque text form.
     *
     * @throws IllegalArgumentException if {@code text} is not a cursor
     */
    public static PullCursor decode(String text) {
        try {
            JsonNode node = MAPPER.readTree(Base64.getUrlDecoder().decode(text));
            JsonNode u = node == null ? null : node.get("u");
            JsonNode i = node == null ? null : node.get("i");
            if (u == null || i == null || !u.isTextual() || !i.isTextual()) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new PullCursor(Timestamps.parse(u.asText()), i.asText());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed cursor", e);
        }
    }
}
