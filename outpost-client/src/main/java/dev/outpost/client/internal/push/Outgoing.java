package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.Filters;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.Query;
import dev.outpost.protocol.sync.OperationKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes operations ready to send, inside the transaction that takes them from the queue: each is marked in flight
 * (one more attempt, what is sent kept in its {@code item}) and paired with the local record it sends. The records
 * are read with one query per table and the marked operations written with one statement. Parked operations are
 * left out; an insert or update whose local record is missing is parked. Stateless, thread-safe.
 */
final class Outgoing {
    private final OperationQueue queue;

    Outgoing(OperationQueue queue) {
        this.queue = queue;
    }

    /** Marks {@code operations} (in queue order) in flight; returns what to send, in the same order. */
    List<SentOperation> mark(StoreTransaction tx, Collection<Operation> operations) {
        Map<OperationQueue.Key, ObjectNode> records = records(tx, operations);
        List<SentOperation> sent = new ArrayList<>();
        List<Operation> marked = new ArrayList<>();
        for (Operation op : operations) {
            if (op.state() == PendingOperation.State.PARKED) {
                continue;
            }
            ObjectNode payload = null;
            if (op.kind() != OperationKind.DELETE) {
                payload = records.get(OperationQueue.Key.of(op));
                if (payload == null) {
                    queue.save(tx, op.parked(null, ErrorBody.of("missingRecord", "the local record is missing"),
                            null, "the local record of this " + op.kind().wireName() + " is missing"));
                    continue;
                }
            }
            List<ObjectNode> previouslySent = op.previouslySent();
            Operation inFlight = op.sent(payload);
            marked.add(inFlight);
            sent.add(new SentOperation(inFlight, payload, previouslySent));
        }
        queue.saveSent(tx, marked);
        return sent;
    }

    /** Back to pending: operations marked in flight that were not sent, or whose sending a 401 stopped. */
    void unmark(StoreTransaction tx, List<SentOperation> sent) {
        for (SentOperation s : sent) {
            queue.byId(tx, s.operation().id()).ifPresent(op ->
                    queue.save(tx, op.withState(PendingOperation.State.PENDING)));
        }
    }

    /** The local records the inserts and updates among {@code operations} send, by key. */
    private static Map<OperationQueue.Key, ObjectNode> records(StoreTransaction tx, Collection<Operation> operations) {
        Map<String, List<String>> idsByTable = new LinkedHashMap<>();
        for (Operation op : operations) {
            if (op.kind() != OperationKind.DELETE && op.state() != PendingOperation.State.PARKED) {
                idsByTable.computeIfAbsent(op.table(), t -> new ArrayList<>()).add(op.itemId());
            }
        }
        Map<OperationQueue.Key, ObjectNode> records = new HashMap<>();
        idsByTable.forEach((table, ids) -> {
            for (ObjectNode row : tx.query(table, Query.builder().filter(Filters.in(SystemColumns.ID, ids)).build())) {
                records.put(new OperationQueue.Key(table, Records.id(row)), row);
            }
        });
        return records;
    }
}
