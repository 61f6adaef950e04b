package dev.outpost.client.internal.http;

/**
 * A server announced {@code X-Outpost-Server} but does not serve a native endpoint (an older or partial Outpost):
 * the caller falls back to v3 requests. Internal: always caught, never reaches an app.
 */
public final class NativeUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The endpoint described by {@code what} is missing. */
    public NativeUnavailableException(String what) {
        super(what + " is not served here");
    }

    /** Whether an answer says the endpoint itself is missing (not, say, an unknown table). */
    public static boolean isMissingEndpoint(HttpAnswer answer) {
        if (answer.status() == 405 || answer.status() == 501) {
            return true;
        }
        return answer.status() == 404 && !"unknownTable".equals(answer.error().code());
    }
}
