package dev.outpost.client.internal.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.sync.OperationKind;
import java.time.Instant;

/**
 * One row of the operation queue. Immutable; changes make a new value with the methods below.
 *
 * @param id          the operation id; replaced by a new one when an operation that was already sent changes (so that
 *                    a native batch push never mistakes the new content for the old, already applied)
 * @param sequence    FIFO position across all tables
 * @param table       table name
 * @param itemId      record id
 * @param kind        insert, update or delete
 * @param state       pending, in flight or parked
 * @param revision    bumped on every local change collapsed into this operation (invariant 4)
 * @param attempts    how often it was sent
 * @param baseVersion the server version the change is based on (the {@code If-Match})
 * @param base        the record as it was when first queued (three-way merge ancestor); {@code null} for inserts
 * @param item        for a delete, the record as it was when deleted; for an insert or update, what was last sent
 *                    (or {@code null} before the first attempt)
 * @param queuedAt    when first queued
 * @param parking     why it is parked, or {@code null} when it is not
 */
public record Operation(
        String id,
        long sequence,
        String table,
        String itemId,
        OperationKind kind,
        PendingOperation.State state,
        long revision,
        int attempts,
        String baseVersion,
        ObjectNode base,
        ObjectNode item,
        Instant queuedAt,
        Parking parking) {

    /**
     * Why an operation is parked: what the server said. Immutable.
     *
     * @param httpStatus   the HTTP status, or {@code null} when no answer parked it (a local record gone missing)
     * @param error        the error body, or {@code null}
     * @param serverRecord the server's record of a conflict, or {@code null}
     * @param reason       why, for people
     */
    public record Parking(Integer httpStatus, ErrorBody error, ObjectNode serverRecord, String reason) {
    }

    /** A new operation at {@code sequence}: pending, never sent, at its first revision. */
    public static Operation queued(String id, long sequence, String table, String itemId, OperationKind kind,
            String baseVersion, ObjectNode base, ObjectNode item, Instant queuedAt) {
        return new Operation(id, sequence, table, itemId, kind, PendingOperation.State.PENDING, 1, 0, baseVersion,
                base, item, queuedAt, null);
    }

    /** The read-only public view. */
    public PendingOperation view() {
        return new PendingOperation(id, table, itemId, kind, state, attempts, baseVersion, queuedAt, httpStatus(),
                error(), serverRecord(), reason());
    }

    /** The HTTP status that parked it, or {@code null}. */
    public Integer httpStatus() {
        return parking == null ? null : parking.httpStatus();
    }

    /** The server's error body that parked it, or {@code null}. */
    public ErrorBody error() {
        return parking == null ? null : parking.error();
    }

    /** The server's record of the conflict that parked it, or {@code null}. */
    public ObjectNode serverRecord() {
        return parking == null ? null : parking.serverRecord();
    }

    /** Why it is parked, or {@code null}. */
    public String reason() {
        return parking == null ? null : parking.reason();
    }

    /** This operation in {@code newState}, with the parked details cleared unless it is parked. */
    public Operation withState(PendingOperation.State newState) {
        return new Operation(id, sequence, table, itemId, kind, newState, revision, attempts, baseVersion, base, item,
                queuedAt, newState == PendingOperation.State.PARKED ? parking : null);
    }

    /**
     * This operation after a further local change collapsed into it: now of kind {@code newKind}, named {@code newId},
     * with {@code newItem}, pending again if it was parked, at the next revision.
     */
    public Operation changed(String newId, OperationKind newKind, ObjectNode newItem) {
        PendingOperation.State newState = state == PendingOperation.State.PARKED ? PendingOperation.State.PENDING
                : state;
        return new Operation(newId, sequence, table, itemId, newKind, newState, revision + 1, attempts, baseVersion,
                base, newItem, queuedAt, null);
    }

    /**
     * This operation sent once more: in flight, one more attempt. For an insert or update, {@code content} (what
     * was sent) is kept in {@code item}, so that a later attempt can recognise that this one was applied.
     */
    public Operation sent(ObjectNode content) {
        return new Operation(id, sequence, table, itemId, kind, PendingOperation.State.IN_FLIGHT, revision,
                attempts + 1, baseVersion, base, kind == OperationKind.DELETE ? item : content, queuedAt, null);
    }

    /** This operation parked with what the server said. */
    public Operation parked(Integer status, ErrorBody body, ObjectNode server, String why) {
        return new Operation(id, sequence, table, itemId, kind, PendingOperation.State.PARKED, revision, attempts,
                baseVersion, base, item, queuedAt, new Parking(status, body, server, why));
    }

    /**
     * This operation rebased on the server's {@code version}: pending again, of kind {@code newKind}, with
     * {@code newBase} as its merge ancestor. It gets a new id, since its content is no longer what was sent.
     */
    public Operation rebased(OperationKind newKind, String version, ObjectNode newBase, String newId) {
        return new Operation(newId, sequence, table, itemId, newKind, PendingOperation.State.PENDING, revision + 1,
                attempts, version, newBase, item, queuedAt, null);
    }
}
