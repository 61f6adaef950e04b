package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.StaleRecords;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.sync.OperationKind;

/**
 * Carries out a {@link ConflictResolution} on the local row and the queued operation, inside the caller's store
 * transaction: during a push (after the handler decided) and for a parked operation resolved by the app. The
 * server's record a resolution works from may be older than the server's current one (a parked conflict resolved
 * later, while pulls skipped the record's newer versions), so every resolution but parking marks the record
 * {@link StaleRecords stale}: the next pull of its table fetches it once it has no queued operation (invariant 5).
 * Stateless, thread-safe.
 */
public final class Resolutions {
    /** What became of the operation. */
    public enum Result {
        /** The operation is gone (taken from the server, or discarded). */
        DONE,
        /** The operation is pending again, rebased on the server's version: send it again. */
        RESEND,
        /** The operation is parked. */
        PARKED
    }

    private final OperationQueue queue;
    private final StaleRecords stale = new StaleRecords();

    public Resolutions(OperationQueue queue) {
        this.queue = queue;
    }

    /**
     * Applies {@code resolution} to {@code op} (as queued now).
     *
     * @param status       the HTTP status of the conflict (404 means the record no longer exists on the server)
     * @param serverRecord the server's record, or {@code null}
     */
    public Result apply(StoreTransaction tx, Operation op, ConflictResolution resolution, int status,
            ObjectNode serverRecord) {
        Result result = carryOut(tx, op, resolution, status, serverRecord);
        if (result != Result.PARKED) {
            stale.mark(tx, op.table(), op.itemId());
        }
        return result;
    }

    private Result carryOut(StoreTransaction tx, Operation op, ConflictResolution resolution, int status,
            ObjectNode serverRecord) {
        boolean serverDeleted = serverRecord == null || Records.isDeleted(serverRecord);
        if (resolution instanceof ConflictResolution.TakeServer) {
            if (serverDeleted) {
                tx.delete(op.table(), op.itemId());
            } else {
                tx.upsert(op.table(), serverRecord);
            }
            queue.remove(tx, op);
            return Result.DONE;
        }
        if (resolution instanceof ConflictResolution.Discard) {
            tx.delete(op.table(), op.itemId());
            queue.remove(tx, op);
            return Result.DONE;
        }
        if (resolution instanceof ConflictResolution.Park) {
            return park(tx, op, status, serverRecord, "conflict left for the app to resolve");
        }
        if (status == 404 && serverRecord == null && op.kind() != OperationKind.DELETE) {
            // The record is gone from the server altogether: keeping the client's copy means creating it again.
            if (resolution instanceof ConflictResolution.Merge merge) {
                writeMerged(tx, op, merge.record(), null);
            }
            queue.replace(tx, op, op.rebased(OperationKind.INSERT, null, null, OperationQueue.newId()));
            return Result.RESEND;
        }
        if (serverRecord == null || (serverDeleted && op.kind() != OperationKind.DELETE)) {
            return park(tx, op, status, serverRecord, serverRecord == null
                    ? "the server did not send its record, so the change cannot be rebased on it"
                    : "the record was deleted on the server; its copy here is kept until resolved");
        }
        String version = Records.version(serverRecord);
        OperationKind kind = op.kind() == OperationKind.INSERT ? OperationKind.UPDATE : op.kind();
        if (resolution instanceof ConflictResolution.Merge merge) {
            writeMerged(tx, op, merge.record(), serverRecord);
            kind = op.kind() == OperationKind.DELETE ? OperationKind.UPDATE : kind;
        } else {
            tx.lookup(op.table(), op.itemId()).ifPresent(row -> {
                Records.copySystemColumns(serverRecord, row);
                tx.upsert(op.table(), row);
            });
        }
        queue.replace(tx, op, op.rebased(kind, version, serverRecord, OperationQueue.newId()));
        return Result.RESEND;
    }

    private static void writeMerged(StoreTransaction tx, Operation op, ObjectNode merged, ObjectNode serverRecord) {
        String id = Records.id(merged);
        if (id != null && !id.equals(op.itemId())) {
            throw new IllegalArgumentException("a merged record must keep the id '" + op.itemId() + "', not '" + id
                    + "'");
        }
        ObjectNode row = Records.insertBody(merged);
        row.put(SystemColumns.ID, op.itemId());
        if (serverRecord != null) {
            Records.copySystemColumns(serverRecord, row);
        }
        tx.upsert(op.table(), row);
    }

    /**
     * Resolves the parked operation {@code operationId} as the app decided, after the push that parked it. A
     * refusal without a server record (anything but a 404) cannot be rebased: keeping the client's change or a
     * merge sends it again as it is, and taking the server's drops it (the next pull brings the record back).
     *
     * @throws IllegalStateException if the operation is no longer queued or not parked
     */
    public void resolveParked(StoreTransaction tx, String operationId, ConflictResolution resolution) {
        Operation op = queue.byId(tx, operationId).orElseThrow(() -> new IllegalStateException(
                "operation " + operationId + " is no longer queued"));
        if (op.state() != PendingOperation.State.PARKED) {
            throw new IllegalStateException("operation " + operationId + " is not parked");
        }
        int status = op.httpStatus() == null ? 0 : op.httpStatus();
        ObjectNode server = op.serverRecord();
        if (server == null && status != 404) {
            if (resolution instanceof ConflictResolution.KeepClient) {
                queue.save(tx, op.withState(PendingOperation.State.PENDING).keepingClient());
                return;
            }
            if (resolution instanceof ConflictResolution.Merge merge) {
                ObjectNode row = Records.insertBody(merge.record());
                row.put(SystemColumns.ID, op.itemId());
                tx.lookup(op.table(), op.itemId()).ifPresent(current -> Records.copySystemColumns(current, row));
                tx.upsert(op.table(), row);
                queue.save(tx, op.withState(PendingOperation.State.PENDING));
                return;
            }
            if (resolution instanceof ConflictResolution.TakeServer) {
                apply(tx, op, ConflictResolution.discard(), status, null);
                return;
            }
        }
        apply(tx, op, resolution, status, server);
        if (resolution instanceof ConflictResolution.KeepClient) {
            queue.find(tx, op.table(), op.itemId()).ifPresent(kept -> queue.save(tx, kept.keepingClient()));
        }
    }

    /** Parks {@code op} with what the server said. */
    public Result park(StoreTransaction tx, Operation op, int status, ObjectNode serverRecord, String reason) {
        queue.save(tx, op.parked(status, null, serverRecord, reason));
        return Result.PARKED;
    }
}
