package dev.outpost.client.internal.http;

import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.sync.PushResponse;

/** The answer to a native batch push: a result per operation, or the batch refused for its size or form. Immutable. */
public sealed interface PushAnswer {
    /** The server answered each operation. */
    record Results(PushResponse response) implements PushAnswer {
    }

    /**
     * The server refused the whole batch with a 400 or 413 (too many operations, too large a body, or malformed):
     * the caller may split it.
     *
     * @param status the HTTP status
     * @param error  what the server said
     */
    record Refused(int status, ErrorBody error) implements PushAnswer {
    }
}
