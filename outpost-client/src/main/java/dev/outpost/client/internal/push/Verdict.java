package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ErrorBody;

/**
 * The server's answer to one pushed operation, the same whichever transport carried it. Immutable.
 *
 * @param kind   what happened
 * @param status the HTTP status (or the native result's {@code httpStatus})
 * @param record the record the server sent (the stored record, or its current one on a conflict), or {@code null}
 * @param error  the error body of a refusal, or {@code null}
 */
record Verdict(Kind kind, int status, ObjectNode record, ErrorBody error) {

    enum Kind {
        /** Applied now. */
        APPLIED,
        /** Applied by an earlier attempt whose answer was lost. */
        ALREADY_APPLIED,
        /** An earlier attempt (with older content) was applied; the current content still has to be sent. */
        APPLIED_EARLIER,
        /** 409 or 412: the record changed on the server. */
        CONFLICT,
        /** 404: an update of a record the server does not have. */
        NOT_FOUND,
        /** 410: an update of a record deleted on the server. */
        GONE,
        /** The server refused the operation (4xx). */
        REJECTED,
        /** The server failed (5xx, 408, 429): retried on the next push. */
        TRANSIENT
    }

    static Verdict of(Kind kind, int status, ObjectNode record) {
        return new Verdict(kind, status, record, null);
    }
}
