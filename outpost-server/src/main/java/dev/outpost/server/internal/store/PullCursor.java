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
 * {@code {"u":"<updatedAt>","i":"<id>","t":"<seenThrough>"}}. Immutable.
 *
 * @param updatedAt   the {@code updatedAt} of the last record seen
 * @param id          the {@code id} of the last record seen
 * @param seenThrough when the cursor ends a pull (no more pages), the server's time then: the holder has seen every
 *                    change up to it, not only up to {@code updatedAt}; otherwise {@code null}
 */
public record PullCursor(Instant updatedAt, String id, Instant seenThrough) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public PullCursor {
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(id, "id");
    }

    /** A position in the middle of a pull. */
    public PullCursor(Instant updatedAt, String id) {
        this(updatedAt, id, null);
    }

    /** This position at the end of a pull made at {@code now}. */
    public PullCursor seenThrough(Instant now) {
        return new PullCursor(updatedAt, id, now);
    }

    /** How far its holder has seen the changes: {@code seenThrough} when it ended a pull, else {@code updatedAt}. */
    public Instant seen() {
        return seenThrough != null && seenThrough.isAfter(updatedAt) ? seenThrough : updatedAt;
    }

    /** The opaque text form. */
    public String encode() {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("u", Timestamps.format(updatedAt));
        node.put("i", id);
        if (seenThrough != null) {
            node.put("t", Timestamps.format(seenThrough));
        }
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
            JsonNode t = node.get("t");
            if (t != null && !t.isTextual()) {
                throw new IllegalArgumentException("not a cursor");
            }
            return new PullCursor(Timestamps.parse(u.asText()), i.asText(),
                    t == null ? null : Timestamps.parse(t.asText()));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed cursor", e);
        }
    }
}
