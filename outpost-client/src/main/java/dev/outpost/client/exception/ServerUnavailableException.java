package dev.outpost.client.exception;

import dev.outpost.protocol.ErrorBody;
import java.time.Duration;
import java.util.Optional;

/**
 * The server could not serve the request for now: it failed (5xx), timed the request out (408) or asked the client
 * to slow down (429). Nothing was applied; a push stops with every operation still queued, and the next push sends
 * them again. {@link #retryAfter()} is how long the server asked the client to wait, when it said.
 */
public final class ServerUnavailableException extends ServerResponseException {
    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    /** A failure answer with {@code status}, its error body and its {@code Retry-After} ({@code null}: none). */
    public ServerUnavailableException(String what, int status, ErrorBody error, Duration retryAfter) {
        super(what, status, error);
        this.retryAfter = retryAfter;
    }

    /** How long the server asked the client to wait before trying again ({@code Retry-After}), if it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
