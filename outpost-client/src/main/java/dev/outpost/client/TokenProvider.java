package dev.outpost.client;

/**
 * Supplies the auth token sent with every request ({@code X-ZUMO-AUTH} and {@code Authorization: Bearer}), or
 * {@code null} to send none. Called on the requesting thread for every request, so it can hand out a refreshed
 * token; it must be thread-safe and fast.
 *
 * <p>When the server refuses a token (401), {@link #refreshedToken()} is asked once and the request is sent once
 * more with what it gives, if that is another token; a second 401 stops the push or pull with
 * {@link dev.outpost.client.exception.AuthenticationException}, the queue intact.
 */
@FunctionalInterface
public interface TokenProvider {
    /** The current token, or {@code null}. */
    String token();

    /**
     * A fresh token after the server refused the current one (it expired, say), or {@code null} if there is none.
     * The default asks {@link #token()} again.
     */
    default String refreshedToken() {
        return token();
    }
}
