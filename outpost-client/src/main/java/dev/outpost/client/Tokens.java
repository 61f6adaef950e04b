package dev.outpost.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.client.internal.json.Json;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * What the client reads of a sign-in token: its subject. The client does not verify tokens (the server does); it
 * reads the {@code sub} claim of a JWT only to know whose data a local store holds.
 */
public final class Tokens {
    private Tokens() {
    }

    /** The {@code sub} claim of a JWT; empty for no token, a token that is not a JWT, or one without a subject. */
    public static Optional<String> subject(String token) {
        if (token == null) {
            return Optional.empty();
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode subject = claims == null ? null : claims.get("sub");
            return subject != null && subject.isTextual() && !subject.asText().isEmpty()
                    ? Optional.of(subject.asText()) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
