package dev.outpost.client.exception;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ErrorBody;

/**
 * An online write refused because the record changed on the server (409: the id exists, or 412: the version did
 * not match). Carries the server's current record when the server sent it.
 */
public final class RecordConflictException extends ServerResponseException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode serverRecord;

    /** A 409/412 answer with the server's record ({@code null} if none came). */
    public RecordConflictException(String what, int status, ErrorBody error, ObjectNode serverRecord) {
        super(what, status, error);
        this.serverRecord = serverRecord == null ? null : serverRecord.deepCopy();
    }

    /** The server's current record (a copy), or {@code null} if the server did not send it. */
    public ObjectNode serverRecord() {
        return serverRecord == null ? null : serverRecord.deepCopy();
    }
}
