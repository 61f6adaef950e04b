package dev.outpost.client.internal.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One push's walk of the queue, FIFO, from its start to the last operation queued when the push began (what is
 * queued later waits for the next push). The queue is read a page at a time as the walk needs it, inside the
 * transactions that prepare batches; operations to send again go back to the front of the walk.
 *
 * <p>The walk trusts what it read only while no one else writes to the queue: every transaction of the push runs
 * through {@link #transaction}, which tells whether the queue is untouched since the push's previous transaction
 * (the queue's write count is unchanged; transactions run one at a time). When it is not (a local write meanwhile),
 * the operations read and not sent yet are forgotten and read again when their turn comes.
 *
 * <p>Confined to the pushing thread; one per push.
 */
public final class QueueWalk {
    /** Operations read from the queue at a time. */
    private static final int PAGE = 500;

    private final LocalStore store;
    private final OperationQueue queue;
    /** The keys still to send, in order: those read from the queue and those put back. */
    private final Deque<OperationQueue.Key> work = new ArrayDeque<>();
    /** Operations read from the queue, not sent yet, and as read (while the queue is untouched). */
    private final Map<OperationQueue.Key, Operation> known = new HashMap<>();
    private final long end;
    private final int pushable;
    private Position walked;
    private boolean read;
    /** The queue's write count at the end of this push's last transaction. */
    private long seenWrites = Long.MIN_VALUE;

    /** A place in the queue's FIFO order. */
    private record Position(long sequence, String id) {
    }

    /** The work of one transaction of a push; {@code untouched}: see {@link #transaction}. */
    @FunctionalInterface
    public interface Work<R> {
        R apply(StoreTransaction tx, boolean untouched);
    }

    private QueueWalk(LocalStore store, OperationQueue queue, long end, int pushable) {
        this.store = store;
        this.queue = queue;
        this.end = end;
        this.pushable = pushable;
        this.read = pushable == 0;
    }

    /**
     * Starts a push's walk: operations parked by a transient server failure (5xx, 408, 429) are made pending again,
     * and the walk will end at the last operation queued now.
     */
    public static QueueWalk start(LocalStore store, OperationQueue queue) {
        QueueWalk[] walk = new QueueWalk[1];
        store.useTransaction(tx -> {
            retryTransientFailures(tx, queue);
            long end = OperationQueue.lastQueuedSequence(tx);
            int pushable = (int) tx.count(OperationQueue.TABLE, OperationQueue.notParked());
            walk[0] = new QueueWalk(store, queue, end, pushable);
        });
        walk[0].seenWrites = queue.writes();
        return walk[0];
    }

    /** Makes the operations parked by a transient server failure (5xx, 408, 429) pending again. */
    private static void retryTransientFailures(StoreTransaction tx, OperationQueue queue) {
        Query parked = Query.builder().filter(OperationQueue.eq("state", PendingOperation.State.PARKED.name())).build();
        for (ObjectNode row : tx.query(OperationQueue.TABLE, parked)) {
            Operation op = OperationRows.read(row);
            if (op.httpStatus() != null && OperationQueue.isTransientFailure(op.httpStatus())) {
                queue.save(tx, op.withState(PendingOperation.State.PENDING));
            }
        }
    }

    /**
     * The next page of the walk, in FIFO order: at most {@value #PAGE} operations that are not parked, after the
     * walk's position and up to its end.
     */
    private List<Operation> page(StoreTransaction tx) {
        Filter filter = new Filter.And(OperationQueue.notParked(), new Filter.Comparison(ComparisonOperator.LE,
                new Filter.Property("sequence"), Filter.Literal.of(end)));
        if (walked != null) {
            // sequence >= s and (sequence > s or id > i): the first term lets the (sequence, id) index start there.
            Filter.Literal sequence = Filter.Literal.of(walked.sequence());
            filter = new Filter.And(filter, new Filter.And(
                    new Filter.Comparison(ComparisonOperator.GE, new Filter.Property("sequence"), sequence),
                    new Filter.Or(
                            new Filter.Comparison(ComparisonOperator.GT, new Filter.Property("sequence"), sequence),
                            new Filter.Comparison(ComparisonOperator.GT, new Filter.Property("id"),
                                    Filter.Literal.of(walked.id())))));
        }
        List<Operation> page = new ArrayList<>();
        for (ObjectNode row : tx.query(OperationQueue.TABLE,
                OperationQueue.IN_ORDER.newBuilder().filter(filter).top(PAGE).build())) {
            page.add(OperationRows.read(row));
        }
        return page;
    }

    /** How many operations the push has to send, as counted when it started. */
    public int pushable() {
        return pushable;
    }

    /** Whether anything is left to send. */
    public boolean hasMore() {
        return !work.isEmpty() || !read;
    }

    /** How many operations the queue holds now, parked ones left out (what the server is told with a push). */
    public long queued(StoreTransaction tx) {
        return queue.pushableCount(tx, null);
    }

    /**
     * Runs one transaction of the push, telling {@code work} whether the queue is untouched: no one else wrote to it
     * since this push's previous transaction, so that what the push knows of it still holds (the operations read and
     * not sent yet, the operations marked in flight as marked).
     */
    public <R> R transaction(Work<R> work) {
        return store.inTransaction(tx -> {
            boolean untouched = queue.writes() == seenWrites;
            if (!untouched) {
                known.clear();
            }
            R result = work.apply(tx, untouched);
            seenWrites = queue.writes();
            return result;
        });
    }

    /**
     * Inside a transaction: takes the next {@code size} records to send from the front of the walk (reading more of
     * the queue when the walk is short of them) and returns their operations as queued now, in order. A record whose
     * operation is gone meanwhile is left out.
     */
    public Map<OperationQueue.Key, Operation> next(StoreTransaction tx, int size) {
        while (!read && work.size() < size) {
            List<Operation> page = page(tx);
            for (Operation op : page) {
                OperationQueue.Key key = OperationQueue.Key.of(op);
                work.addLast(key);
                known.put(key, op);
            }
            if (page.size() < PAGE) {
                read = true;
            } else {
                Operation last = page.get(page.size() - 1);
                walked = new Position(last.sequence(), last.id());
            }
        }
        List<OperationQueue.Key> chunk = new ArrayList<>();
        while (!work.isEmpty() && chunk.size() < size) {
            chunk.add(work.poll());
        }
        Map<OperationQueue.Key, Operation> operations = new HashMap<>();
        List<OperationQueue.Key> unknown = new ArrayList<>();
        for (OperationQueue.Key key : chunk) {
            Operation op = known.remove(key);
            if (op != null) {
                operations.put(key, op);
            } else {
                unknown.add(key);
            }
        }
        operations.putAll(find(tx, unknown));
        Map<OperationQueue.Key, Operation> ordered = new LinkedHashMap<>();
        for (OperationQueue.Key key : chunk) {
            Operation op = operations.get(key);
            if (op != null) {
                ordered.put(key, op);
            }
        }
        return ordered;
    }

    /** Puts {@code keys} back at the front of the walk, in their order: they are sent next. */
    public void putBack(List<OperationQueue.Key> keys) {
        for (int i = keys.size() - 1; i >= 0; i--) {
            work.addFirst(keys.get(i));
        }
    }

    /**
     * Inside a transaction: the operations of {@code sent} as queued now, by key. In an untouched queue every one is
     * as it was marked in flight; otherwise those whose id and revision are still queued are, and only the others
     * (changed or removed meanwhile) are read again. An operation that is gone is absent.
     */
    public Map<OperationQueue.Key, Operation> current(StoreTransaction tx, boolean untouched, List<Operation> sent) {
        Map<OperationQueue.Key, Operation> current = new HashMap<>();
        if (untouched) {
            for (Operation op : sent) {
                current.put(OperationQueue.Key.of(op), op);
            }
            return current;
        }
        List<String> ids = new ArrayList<>(sent.size());
        for (Operation op : sent) {
            ids.add(op.id());
        }
        Map<String, Long> revisions = queue.revisions(tx, ids);
        List<OperationQueue.Key> changed = new ArrayList<>();
        for (Operation op : sent) {
            Long revision = revisions.get(op.id());
            if (revision != null && revision == op.revision()) {
                current.put(OperationQueue.Key.of(op), op);
            } else {
                changed.add(OperationQueue.Key.of(op));
            }
        }
        current.putAll(find(tx, changed));
        return current;
    }

    /** The queued operations of {@code keys}, by key: one query per table. */
    private Map<OperationQueue.Key, Operation> find(StoreTransaction tx, Collection<OperationQueue.Key> keys) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        for (OperationQueue.Key key : keys) {
            byTable.computeIfAbsent(key.table(), t -> new ArrayList<>()).add(key.itemId());
        }
        Map<OperationQueue.Key, Operation> found = new HashMap<>();
        byTable.forEach((table, itemIds) -> queue.findAll(tx, table, itemIds).forEach((itemId, op) ->
                found.put(new OperationQueue.Key(table, itemId), op)));
        return found;
    }
}
