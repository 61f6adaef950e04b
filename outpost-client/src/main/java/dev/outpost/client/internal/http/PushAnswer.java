package dev.outpost.client.internal.http;

import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.sync.PushResponse;

/** The answer to a native batch push: a result per operation, or the request refused as a whole. Immutable. */
public sealed interface PushAnswer {
    /** The server answered each operation. */
    record Results(PushResponse response) implements PushAnswer {
    }

    /**
     * The server refused the whole batch (or answered something that is not a push answer, with status 2xx).
     *
     * @param status the HTTP status
     * @param error  what the server said
     */
    record Refused(int status, ErrorBody error) implements PushAnswer {
    }
}
