package dev.outpost.client.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.client.internal.json.Json;
import java.util.Base64;

/**
 * What the client reads of a token: its subject. The client does not verify tokens (the server does); it reads the
 * {@code sub} claim of a JWT only to know whose data a local store holds. Stateless.
 */
public final class Tokens {
    private Tokens() {
    }

    /** The {@code sub} claim of a JWT, or {@code null} for no token, a token that is not a JWT, or no subject. */
    public static String subject(String token) {
        if (token == null) {
            return null;
        }
        String[] parts = token.trim().split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode claims = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
            JsonNode subject = claims == null ? null : claims.get("sub");
            return subject != null && subject.isTextual() && !subject.asText().isEmpty() ? subject.asText() : null;
        } catch (java.io.IOException | IllegalArgumentException e) {
            return null;
        }
    }
}
