package dev.outpost.server.internal.auth;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The server's access rules: who the caller is (from a request's token, when the server has identity) and what
 * each table allows. Without identity, tokens are not read and every table is open, as before identity existed.
 * Immutable, thread-safe.
 */
public final class AccessControl {
    private final TokenVerifier verifier;
    private final Map<String, TableAccess> declared;
    private final TableAccess dynamic;

    /**
     * @param verifier the token verifier, or {@code null} when the server has no identity
     * @param declared the tables file's rules, by table key (lower-case name)
     * @param dynamic  the rule of tables the dynamic schema makes
     */
    public AccessControl(TokenVerifier verifier, Map<String, TableAccess> declared, TableAccess dynamic) {
        this.verifier = verifier;
        this.declared = Map.copyOf(declared);
        this.dynamic = Objects.requireNonNull(dynamic, "dynamic");
    }

    /** No identity, every table open. */
    public static AccessControl open() {
        return new AccessControl(null, Map.of(), TableAccess.OPEN);
    }

    /** Whether the server verifies sign-in tokens. */
    public boolean hasIdentity() {
        return verifier != null;
    }

    /**
     * The caller of a request with these headers: the user its token names, or anonymous without one. Without
     * identity, tokens are ignored.
     *
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param zumoAuth      the {@code X-ZUMO-AUTH} header, or {@code null}
     * @throws AccessDeniedException (401) if a token was sent and is not valid
     */
    public Caller caller(String authorization, String zumoAuth) {
        if (verifier == null) {
            return Caller.ANONYMOUS;
        }
        String token = null;
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            if (!value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw AccessDeniedException.badToken("the Authorization header is not 'Bearer <token>'");
            }
            token = value.substring(7).trim();
        } else if (zumoAuth != null && !zumoAuth.isBlank()) {
            token = zumoAuth.trim();
        }
        return token == null || token.isEmpty() ? Caller.ANONYMOUS : verifier.verify(token);
    }

    /** The rules of {@code table}: as declared, or the dynamic schema's. */
    public TableAccess of(String table) {
        TableAccess access = declared.get(table.toLowerCase(Locale.ROOT));
        return access == null ? dynamic : access;
    }
}
