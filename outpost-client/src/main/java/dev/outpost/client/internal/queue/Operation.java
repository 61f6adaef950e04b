package dev.outpost.client.internal.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.sync.OperationKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

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
 * @param keepClient  the app chose to keep the client's change over the server's version (a parked conflict
 *                    resolved with {@code keepClient}): a further conflict with a newer server version is rebased
 *                    on it without asking again, until a local change makes this a new change
 * @param sentEarlier what attempts before the last one sent, oldest first, when it differs from {@code item}: any
 *                    of them may have been applied while its answer was lost (at most {@value #SENT_EARLIER_KEPT}
 *                    are kept; forgotten once the operation is rebased on a version the server answered with)
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
        Parking parking,
        boolean keepClient,
        List<ObjectNode> sentEarlier) {

    /** How many earlier attempts' contents an operation remembers. */
    public static final int SENT_EARLIER_KEPT = 8;

    public Operation {
        sentEarlier = List.copyOf(sentEarlier);
    }

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
                base, item, queuedAt, null, false, List.of());
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
                queuedAt, newState == PendingOperation.State.PARKED ? parking : null, keepClient, sentEarlier);
    }

    /**
     * This operation after a further local change collapsed into it: now of kind {@code newKind}, named {@code newId},
     * with {@code newItem}, pending again if it was parked, at the next revision.
     */
    public Operation changed(String newId, OperationKind newKind, ObjectNode newItem) {
        PendingOperation.State newState = state == PendingOperation.State.PARKED ? PendingOperation.State.PENDING
                : state;
        return new Operation(newId, sequence, table, itemId, newKind, newState, revision + 1, attempts, baseVersion,
                base, newItem, queuedAt, null, false,
                newKind == OperationKind.DELETE && kind != OperationKind.DELETE ? sentEarlierWith(null) : sentEarlier);
    }

    /**
     * This operation sent once more: in flight, one more attempt. For an insert or update, {@code content} (what
     * was sent) is kept in {@code item}, so that a later attempt can recognise that this one was applied.
     */
    public Operation sent(ObjectNode content) {
        return new Operation(id, sequence, table, itemId, kind, PendingOperation.State.IN_FLIGHT, revision,
                attempts + 1, baseVersion, base, kind == OperationKind.DELETE ? item : content, queuedAt, null,
                keepClient, kind == OperationKind.DELETE ? sentEarlier : sentEarlierWith(content));
    }

    /**
     * {@link #sentEarlier} once {@code item} is replaced by {@code content} (sent now; {@code null} when a delete is
     * collapsed into this insert or update): the last attempt's content joins it unless it is sent again as it is.
     */
    private List<ObjectNode> sentEarlierWith(ObjectNode content) {
        if (attempts == 0 || kind == OperationKind.DELETE || item == null || item.equals(content)
                || sentEarlier.contains(item)) {
            return sentEarlier;
        }
        List<ObjectNode> earlier = new ArrayList<>(sentEarlier);
        earlier.add(item);
        return earlier.size() > SENT_EARLIER_KEPT ? earlier.subList(earlier.size() - SENT_EARLIER_KEPT,
                earlier.size()) : earlier;
    }

    /**
     * What earlier attempts sent, whose answers were lost: for an insert or update the last attempt's content
     * ({@code item}) first, then {@link #sentEarlier}; for a delete, what the insert or update it was collapsed
     * from sent.
     */
    public List<ObjectNode> previouslySent() {
        if (attempts == 0) {
            return List.of();
        }
        List<ObjectNode> all = new ArrayList<>(sentEarlier.size() + 1);
        if (kind != OperationKind.DELETE && item != null) {
            all.add(item);
        }
        all.addAll(sentEarlier);
        return all;
    }

    /** This operation parked with what the server said. */
    public Operation parked(Integer status, ErrorBody body, ObjectNode server, String why) {
        return new Operation(id, sequence, table, itemId, kind, PendingOperation.State.PARKED, revision, attempts,
                baseVersion, base, item, queuedAt, new Parking(status, body, server, why), keepClient,
                sentEarlier);
    }

    /**
     * This operation rebased on the server's {@code version}: pending again, of kind {@code newKind}, with
     * {@code newBase} as its merge ancestor. It gets a new id, since its content is no longer what was sent.
     */
    public Operation rebased(OperationKind newKind, String version, ObjectNode newBase, String newId) {
        return new Operation(newId, sequence, table, itemId, newKind, PendingOperation.State.PENDING, revision + 1,
                attempts, version, newBase, item, queuedAt, null, keepClient, List.of());
    }

    /** This operation marked as one whose change the app chose to keep over the server's (see {@code keepClient}). */
    public Operation keepingClient() {
        return new Operation(id, sequence, table, itemId, kind, state, revision, attempts, baseVersion, base, item,
                queuedAt, parking, true, sentEarlier);
    }
}
