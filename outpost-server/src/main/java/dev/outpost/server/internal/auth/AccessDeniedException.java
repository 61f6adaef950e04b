package dev.outpost.server.internal.auth;

import dev.outpost.protocol.OutpostException;

/**
 * A request or operation its caller may not make: 401 (no valid sign-in where one is needed; the answer carries
 * {@code WWW-Authenticate: Bearer}), 403 (signed in without the role a rule asks for) or 405 (the operation is
 * disabled on the table).
 */
public final class AccessDeniedException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final boolean badToken;

    private AccessDeniedException(int status, String code, String message, boolean badToken) {
        super(message);
        this.status = status;
        this.code = code;
        this.badToken = badToken;
    }

    /** 401: no token was sent where one is needed. */
    public static AccessDeniedException signInRequired(String what) {
        return new AccessDeniedException(401, "unauthorized", what + " needs a signed-in user: send a token in"
                + " 'Authorization: Bearer …' or 'X-ZUMO-AUTH'", false);
    }

    /** 401: the token sent is not valid (malformed, forged, expired, for another issuer or audience). */
    public static AccessDeniedException badToken(String why) {
        return new AccessDeniedException(401, "invalidToken", "the sign-in token is not valid: " + why, true);
    }

    /** 403: the caller lacks the role {@code role}. */
    public static AccessDeniedException missingRole(String what, String role) {
        return new AccessDeniedException(403, "forbidden", what + " needs the role '" + role + "'", false);
    }

    /** 403: the server has no sign-in, and {@code what} is served only to clients on this machine. */
    public static AccessDeniedException loopbackOnly(String what) {
        return new AccessDeniedException(403, "forbidden", what + " is served only to this machine (127.0.0.1 or ::1) "
                + "when the server has no sign-in; give it a secret or keys to reach it from elsewhere with an admin "
                + "token", false);
    }

    /** 405: the operation is disabled on the table. */
    public static AccessDeniedException disabled(String what) {
        return new AccessDeniedException(405, "disabled", what + " is disabled on this server", false);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The error code of the JSON error body. */
    public String code() {
        return code;
    }

    /** The {@code WWW-Authenticate} value of a 401, or {@code null}. */
    public String challenge() {
        if (status != 401) {
            return null;
        }
        return badToken ? "Bearer error=\"invalid_token\"" : "Bearer";
    }
}
