package dev.outpost.client.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.sync.OperationKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A queued local change waiting to be pushed: a read-only view of one row of the operation queue.
 *
 * <p>There is at most one per record; later local changes to the same record are collapsed into it. When the
 * server refused it or a conflict was left unresolved, it is {@link State#PARKED parked}: it keeps its place but
 * is skipped by push until resolved through {@link dev.outpost.client.SyncContext#resolve}. Immutable.
 *
 * @param id           the operation's id (also the idempotency key of a native batch push)
 * @param table        the table of the record
 * @param itemId       the record's id
 * @param kind         what it does
 * @param state        where it is in its life
 * @param attempts     how many times it was sent (a sent operation may have been applied even if no answer came)
 * @param baseVersion  the server version the change was based on, or {@code null} for a record new to the server
 * @param queuedAt     when it was first queued
 * @param httpStatus   for a parked operation, the HTTP status that parked it; otherwise {@code null}
 * @param error        for a parked operation, the server's error body, if any
 * @param serverRecord for a parked conflict, the server's record, if it sent one
 * @param reason       for a parked operation, why it was parked, for people
 */
public record PendingOperation(
        String id,
        String table,
        String itemId,
        OperationKind kind,
        State state,
        int attempts,
        String baseVersion,
        Instant queuedAt,
        Integer httpStatus,
        ErrorBody error,
        ObjectNode serverRecord,
        String reason) {

    /** A view of a queued operation; the server record is copied. */
    public PendingOperation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(state, "state");
        serverRecord = serverRecord == null ? null : serverRecord.deepCopy();
    }

    /** A copy of the server's record of a parked conflict, or {@code null}. */
    @Override
    public ObjectNode serverRecord() {
        return serverRecord == null ? null : serverRecord.deepCopy();
    }

    /** Whether the operation is parked. */
    public boolean isParked() {
        return state == State.PARKED;
    }

    /** Where an operation is in its life. */
    public enum State {
        /** Waiting for the next push. */
        PENDING,
        /** Sent; no answer processed yet (after a crash, the next push sends it again). */
        IN_FLIGHT,
        /** Refused or in unresolved conflict; skipped by push until resolved. */
        PARKED
    }
}
