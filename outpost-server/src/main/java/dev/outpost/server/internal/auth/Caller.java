package dev.outpost.server.internal.auth;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Who is asking: a signed-in user (the token's {@code sub}, its {@code roles} and every claim, for rules) or nobody.
 * Immutable.
 *
 * @param userId the user id, or {@code null} for an anonymous caller
 * @param roles  the user's roles (the {@code roles} claim)
 * @param claims every claim of the token (empty for an anonymous caller)
 */
public record Caller(String userId, Set<String> roles, Map<String, Object> claims) {
    /** Nobody signed in. */
    public static final Caller ANONYMOUS = new Caller(null, Set.of(), Map.of());

    public Caller {
        roles = Set.copyOf(Objects.requireNonNull(roles, "roles"));
        claims = Map.copyOf(Objects.requireNonNull(claims, "claims"));
    }

    /** Whether a user is signed in. */
    public boolean isAuthenticated() {
        return userId != null;
    }
}
