package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.internal.Filters;
import dev.outpost.client.internal.http.NativeUnavailableException;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.JsonValues;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.Events;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.sync.Conflict;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.OperationKind;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.client.sync.PushResult;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.OutpostException;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.Query;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * Pushes the operation queue, FIFO across all tables. For each operation: mark it in flight (one transaction), send
 * it (no lock held), then store the answer (one transaction) only if the operation was not changed locally
 * meanwhile; otherwise keep the local data and the operation and only take the server's new version
 * (invariant 4). A lost answer leaves the operation queued; the next push re-sends it and recognises it as applied.
 *
 * <p>Native batches are pipelined: while batch n is on its way (its HTTP request runs on a sender thread that never
 * touches the store), the calling thread prepares batch n + 1; when batch n's answer sends nothing back into the
 * queue, batch n + 1 is sent at once and batch n's answer stored while it travels. Batches reach the server in
 * queue order, one at a time; an answer that may send an operation again (a conflict, an earlier attempt found
 * applied) puts the prepared batch back behind it.
 *
 * <p>Callers serialise pushes with the sync permit; all store work and callbacks run on the calling thread.
 */
public final class Pusher {
    private static final int MAX_RESOLUTIONS = 3;
    /** Operations read from the queue at a time, as the push walks it. */
    private static final int PAGE = 500;
    private static final ThreadFactory SENDER_THREADS = task -> {
        Thread thread = new Thread(task, "outpost-push-sender");
        thread.setDaemon(true);
        return thread;
    };

    private final LocalStore store;
    private final OperationQueue queue;
    private final TableApi api;
    private final ConflictHandler handler;
    private final Events events;
    private final Resolutions resolutions;
    // The state of the push under way (pushes are serialised): the queue's write count at the end of the push's
    // last transaction; the operations read from the queue, not sent yet and still as read (see transaction());
    // and the walk of the queue: where it is, where it ends, whether it has.
    private long seenWrites = Long.MIN_VALUE;
    private final Map<Key, Operation> known = new HashMap<>();
    private OperationQueue.Position walked;
    private long walkEnd;
    private boolean walkDone;

    public Pusher(LocalStore store, OperationQueue queue, TableApi api, ConflictHandler handler, Events events) {
        this.store = store;
        this.queue = queue;
        this.api = api;
        this.handler = handler;
        this.events = events;
        this.resolutions = new Resolutions(queue);
    }

    private record Key(String table, String itemId) {
    }

    private enum Outcome { PUSHED, ALREADY_APPLIED, RESEND, LATER, PARKED, ASK }

    /** The counters of one push. */
    private static final class Tally {
        int pushed;
        int alreadyApplied;
        int resolved;
        final List<PendingOperation> parked = new ArrayList<>();
        final Map<Key, Integer> resolutions = new HashMap<>();
    }

    /**
     * Pushes every operation that is not parked (operations parked by a transient server failure are retried).
     *
     * @throws dev.outpost.client.exception.NetworkException if the server cannot be reached; the queue is intact
     * @throws AuthenticationException             on 401; the queue is intact
     */
    public PushResult push() {
        try {
            PushResult result = run();
            events.pushFinished(result);
            return result;
        } catch (OutpostException e) {
            events.pushFailed(e);
            throw e;
        }
    }

    private PushResult run() {
        // The queue is read as the push walks it (a page at a time, inside the transactions that prepare batches),
        // up to the last operation queued now.
        known.clear();
        walked = null;
        long[] start = transaction((tx, untouched) -> new long[] {queue.startPush(tx), queue.pushableCount(tx)});
        walkEnd = start[0];
        walkDone = start[1] == 0;
        events.pushStarted((int) start[1]);
        Tally tally = new Tally();
        if (walkDone) {
            return new PushResult(0, 0, 0, List.of());
        }
        Transport transport = api.useNative() ? new BatchPush(api) : new SinglePush(api);
        Deque<Key> work = new ArrayDeque<>();
        ExecutorService sender = Executors.newSingleThreadExecutor(SENDER_THREADS);
        try {
            Prepared current = prepareNext(work, transport);
            Future<List<Verdict>> inFlight = current == null ? null : sendAsync(sender, current);
            Prepared next = null;
            boolean nextPrepared = false;
            while (current != null) {
                // While a batch is on its way, the next one is read and marked in flight (if that was not done
                // together with storing the previous answer).
                if (!nextPrepared) {
                    next = transport.batchSize() > 1 ? prepareNext(work, transport) : null;
                }
                nextPrepared = false;
                List<Verdict> verdicts;
                try {
                    verdicts = await(inFlight);
                } catch (NativeUnavailableException e) {
                    // The server announced the native extensions but lacks them: send these again as v3 requests.
                    api.nativeUnavailable();
                    transport = new SinglePush(api);
                    putBack(work, next);
                    putBack(work, current);
                    current = prepareNext(work, transport);
                    inFlight = current == null ? null : sendAsync(sender, current);
                    continue;
                } catch (AuthenticationException e) {
                    markPending(current);
                    markPending(next);
                    throw e;
                } catch (RuntimeException e) {
                    // The batch's answer is lost (its operations stay in flight: they may have been applied); the
                    // one prepared meanwhile was never sent.
                    markPending(next);
                    throw e;
                }
                Prepared answered = current;
                List<Verdict> recognised = new ArrayList<>();
                boolean mayResend = false;
                for (int i = 0; i < answered.sent().size(); i++) {
                    Verdict verdict = recognise(answered.sent().get(i), verdicts.get(i));
                    recognised.add(verdict);
                    mayResend |= verdict.kind() == Verdict.Kind.CONFLICT || verdict.kind() == Verdict.Kind.NOT_FOUND
                            || verdict.kind() == Verdict.Kind.GONE || verdict.kind() == Verdict.Kind.APPLIED_EARLIER;
                }
                if (mayResend) {
                    // An answer may send an operation again, and that goes before the batch prepared meanwhile:
                    // the prepared batch waits in the queue and is prepared again after the resolutions.
                    putBack(work, next);
                    next = null;
                    current = null;
                    inFlight = null;
                } else {
                    // Nothing in this answer goes back into the queue: send the next batch now, and store this
                    // answer while it travels (FIFO holds: the server received this batch before the next).
                    current = next;
                    inFlight = next == null ? null : sendAsync(sender, next);
                    if (current != null) {
                        // This answer is stored and the batch after the next one prepared in one transaction.
                        next = storeAnswersAndPrepare(answered.sent(), recognised, tally, work, transport);
                        nextPrepared = true;
                        continue;
                    }
                }
                storeAnswers(answered.sent(), recognised, tally, work);
                if (current == null) {
                    current = prepareNext(work, transport);
                    inFlight = current == null ? null : sendAsync(sender, current);
                }
            }
        } finally {
            sender.shutdown();
            known.clear();
        }
        return new PushResult(tally.pushed, tally.alreadyApplied, tally.resolved, tally.parked);
    }

    /** A chunk of the work, what of it was marked in flight to be sent, and the send made ready. */
    private record Prepared(List<Key> chunk, List<SentOperation> sent, Transport.Call call) {
    }

    /** A chunk taken from the work and what of it was marked in flight, in one transaction. */
    private record Marked(List<Key> chunk, List<SentOperation> sent) {
    }

    /** Takes chunks from the front of {@code work} until one has something to send; {@code null} when done. */
    private Prepared prepareNext(Deque<Key> work, Transport transport) {
        while (!work.isEmpty() || !walkDone) {
            Marked marked = transaction((tx, untouched) -> markNext(tx, work, transport));
            if (!marked.sent().isEmpty()) {
                return new Prepared(marked.chunk(), marked.sent(), transport.call(marked.sent()));
            }
        }
        return null;
    }

    /** Inside a transaction: reads more of the queue if the work is short of a batch, then takes and marks a chunk. */
    private Marked markNext(StoreTransaction tx, Deque<Key> work, Transport transport) {
        while (!walkDone && work.size() < transport.batchSize()) {
            List<Operation> page = queue.pushPage(tx, walked, walkEnd, PAGE);
            for (Operation op : page) {
                Key key = new Key(op.table(), op.itemId());
                work.addLast(key);
                known.put(key, op);
            }
            if (page.size() < PAGE) {
                walkDone = true;
            } else {
                Operation last = page.get(page.size() - 1);
                walked = new OperationQueue.Position(last.sequence(), last.id());
            }
        }
        List<Key> chunk = new ArrayList<>();
        while (!work.isEmpty() && chunk.size() < transport.batchSize()) {
            chunk.add(work.poll());
        }
        return new Marked(chunk, chunk.isEmpty() ? List.of() : prepare(tx, chunk));
    }

    /** Puts a prepared chunk back at the front of the work (it was marked in flight but not sent). */
    private static void putBack(Deque<Key> work, Prepared prepared) {
        if (prepared != null) {
            for (int i = prepared.chunk().size() - 1; i >= 0; i--) {
                work.addFirst(prepared.chunk().get(i));
            }
        }
    }

    private static Future<List<Verdict>> sendAsync(ExecutorService sender, Prepared prepared) {
        return sender.submit(prepared.call()::send);
    }

    private static List<Verdict> await(Future<List<Verdict>> inFlight) {
        try {
            return inFlight.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            inFlight.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("push interrupted", e);
        }
    }

    /** Back to pending: operations marked in flight that a 401 stopped (or that were never sent). */
    private void markPending(Prepared prepared) {
        if (prepared == null) {
            return;
        }
        transaction((tx, untouched) -> {
            for (SentOperation s : prepared.sent()) {
                queue.byId(tx, s.operation().id()).ifPresent(op ->
                        queue.save(tx, op.withState(PendingOperation.State.PENDING)));
            }
            return null;
        });
    }

    /** The work of one transaction of a push; {@code untouched}: see {@link #transaction}. */
    @FunctionalInterface
    private interface PushWork<R> {
        R apply(StoreTransaction tx, boolean untouched);
    }

    /**
     * Runs one transaction of this push, telling {@code work} whether the queue is untouched: no one else wrote to
     * it since this push's previous transaction, so that what this push knows of it still holds (the operations
     * read from the queue and not sent yet, the operations marked in flight as marked). When someone did (a local
     * write meanwhile), the operations read and not sent yet are forgotten and read again when their turn comes.
     */
    private <R> R transaction(PushWork<R> work) {
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
     * Stores a batch's answers in one transaction (only conflicts wait for the handler, each in its own), and puts
     * the operations to send again at the front of the work.
     */
    private void storeAnswers(List<SentOperation> sent, List<Verdict> recognised, Tally tally, Deque<Key> work) {
        List<Outcome> outcomes = transaction((tx, untouched) -> storeAll(tx, untouched, sent, recognised, tally));
        sendFirst(work, afterStore(sent, recognised, outcomes, tally));
    }

    /** What one transaction stored and prepared. */
    private record StoredAndPrepared(List<Outcome> outcomes, Marked marked) {
    }

    /**
     * Stores the answers of a batch that sends nothing back into the queue and marks the next chunk of the work in
     * flight, in one transaction (one commit instead of two). Returns the batch prepared, or {@code null} when the
     * work is done.
     */
    private Prepared storeAnswersAndPrepare(List<SentOperation> sent, List<Verdict> recognised, Tally tally,
            Deque<Key> work, Transport transport) {
        StoredAndPrepared done = transaction((tx, untouched) -> new StoredAndPrepared(
                storeAll(tx, untouched, sent, recognised, tally), markNext(tx, work, transport)));
        List<Key> resend = afterStore(sent, recognised, done.outcomes(), tally);
        Marked marked = done.marked();
        Prepared prepared = marked.sent().isEmpty() ? null
                : new Prepared(marked.chunk(), marked.sent(), transport.call(marked.sent()));
        if (!resend.isEmpty()) {
            // Something must be sent again first (not expected of such an answer, but FIFO holds regardless): it
            // goes before the chunk just marked, which waits in the work.
            putBack(work, prepared);
            sendFirst(work, resend);
            return prepareNext(work, transport);
        }
        // Nothing of the chunk to send (parked meanwhile, or gone): on to the next one.
        return prepared != null ? prepared : prepareNext(work, transport);
    }

    /** Stores a batch's answers inside a transaction; {@code untouched}: see {@link #transaction}. */
    private List<Outcome> storeAll(StoreTransaction tx, boolean untouched, List<SentOperation> sent,
            List<Verdict> recognised, Tally tally) {
        // In an untouched queue every operation is as it was marked in flight. Otherwise one whose id and
        // revision are still queued is; only the others (changed or removed meanwhile) are read again.
        Map<String, Long> revisions = new HashMap<>();
        if (untouched) {
            for (SentOperation s : sent) {
                revisions.put(s.operation().id(), s.operation().revision());
            }
        } else {
            List<String> ids = new ArrayList<>(sent.size());
            for (SentOperation s : sent) {
                ids.add(s.operation().id());
            }
            revisions = queue.revisions(tx, ids);
        }
        List<Key> changed = new ArrayList<>();
        for (SentOperation s : sent) {
            if (!isQueuedAsSent(s.operation(), revisions)) {
                changed.add(new Key(s.operation().table(), s.operation().itemId()));
            }
        }
        Map<Key, Operation> reread = findAll(tx, changed);
        Applied applied = new Applied();
        List<Outcome> stored = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Operation was = sent.get(i).operation();
            Operation now = isQueuedAsSent(was, revisions) ? was : reread.get(new Key(was.table(), was.itemId()));
            stored.add(store(tx, sent.get(i), now, recognised.get(i), tally, applied));
        }
        applied.write(tx);
        return stored;
    }

    /** Counts the stored answers and asks the handler about conflicts; returns what to send again, in order. */
    private List<Key> afterStore(List<SentOperation> sent, List<Verdict> recognised, List<Outcome> outcomes,
            Tally tally) {
        List<Key> resend = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            SentOperation s = sent.get(i);
            Key key = new Key(s.operation().table(), s.operation().itemId());
            if (count(s, recognised.get(i), outcomes.get(i), tally) == Outcome.RESEND) {
                int count = tally.resolutions.merge(key, 1, Integer::sum);
                if (count <= MAX_RESOLUTIONS) {
                    resend.add(key);
                } else {
                    parkNow(key, "the conflict persisted after " + MAX_RESOLUTIONS + " resolutions", tally);
                }
            }
        }
        return resend;
    }

    /** Puts {@code keys} at the front of the work, in their order. */
    private static void sendFirst(Deque<Key> work, List<Key> keys) {
        for (int i = keys.size() - 1; i >= 0; i--) {
            work.addFirst(keys.get(i));
        }
    }

    private static boolean isQueuedAsSent(Operation sent, Map<String, Long> revisions) {
        Long revision = revisions.get(sent.id());
        return revision != null && revision == sent.revision();
    }

    /**
     * Marks the chunk's operations in flight and collects what to send: the chunk's operations and records are read
     * with one query per table, and the marked operations written with one statement.
     */
    private List<SentOperation> prepare(StoreTransaction tx, List<Key> chunk) {
        // Operations read from the queue and untouched since are taken as read; the rest are read now.
        Map<Key, Operation> operations = new HashMap<>();
        List<Key> unknown = new ArrayList<>();
        for (Key key : chunk) {
            Operation op = known.remove(key);
            if (op != null) {
                operations.put(key, op);
            } else {
                unknown.add(key);
            }
        }
        operations.putAll(findAll(tx, unknown));
        Map<String, List<String>> idsByTable = new LinkedHashMap<>();
        for (Operation op : operations.values()) {
            if (op.kind() != OperationKind.DELETE && op.state() != PendingOperation.State.PARKED) {
                idsByTable.computeIfAbsent(op.table(), t -> new ArrayList<>()).add(op.itemId());
            }
        }
        Map<Key, ObjectNode> rows = new HashMap<>();
        for (Map.Entry<String, List<String>> table : idsByTable.entrySet()) {
            for (ObjectNode row : tx.query(table.getKey(), Query.builder().filter(Filters.in(SystemColumns.ID, table.getValue())).build())) {
                rows.put(new Key(table.getKey(), Records.id(row)), row);
            }
        }
        List<SentOperation> sent = new ArrayList<>();
        List<Operation> marked = new ArrayList<>();
        for (Key key : chunk) {
            Operation op = operations.get(key);
            if (op == null || op.state() == PendingOperation.State.PARKED) {
                continue;
            }
            ObjectNode payload = null;
            if (op.kind() != OperationKind.DELETE) {
                payload = rows.get(key);
                if (payload == null) {
                    queue.save(tx, op.parked(null, ErrorBody.of("missingRecord", "the local record is missing"),
                            null, "the local record of this " + op.kind().wireName() + " is missing"));
                    continue;
                }
            }
            ObjectNode previouslySent = op.attempts() > 0 && op.kind() != OperationKind.DELETE ? op.item() : null;
            Operation inFlight = op.sent(payload);
            marked.add(inFlight);
            sent.add(new SentOperation(inFlight, payload, previouslySent));
        }
        queue.saveSent(tx, marked);
        return sent;
    }

    /** The queued operations of {@code keys}, by key: one query per table. */
    private Map<Key, Operation> findAll(StoreTransaction tx, Collection<Key> keys) {
        Map<String, List<String>> byTable = new LinkedHashMap<>();
        for (Key key : keys) {
            byTable.computeIfAbsent(key.table(), t -> new ArrayList<>()).add(key.itemId());
        }
        Map<Key, Operation> found = new HashMap<>();
        for (Map.Entry<String, List<String>> table : byTable.entrySet()) {
            queue.findAll(tx, table.getKey(), table.getValue()).forEach((itemId, op) ->
                    found.put(new Key(table.getKey(), itemId), op));
        }
        return found;
    }

    /**
     * Turns answers that only look like conflicts into what they are. A lost answer makes the re-sent operation
     * meet its own earlier effect: an insert meets 409 with the record it created, an update meets 412 with the
     * record it wrote, a delete meets 404/410. Those were applied. When the server holds what an earlier attempt sent
     * (and the record changed here since), that attempt was applied: rebase on the server's version and send again.
     */
    private static Verdict recognise(SentOperation sent, Verdict verdict) {
        OperationKind kind = sent.operation().kind();
        ObjectNode server = verdict.record();
        boolean serverLive = server != null && !Records.isDeleted(server);
        switch (verdict.kind()) {
            case CONFLICT:
                if (kind == OperationKind.DELETE) {
                    return server == null || !serverLive
                            ? Verdict.of(Verdict.Kind.ALREADY_APPLIED, verdict.status(), null) : verdict;
                }
                if (serverLive && JsonValues.holdsAll(server, sent.payload())) {
                    return Verdict.of(Verdict.Kind.ALREADY_APPLIED, verdict.status(), server);
                }
                if (serverLive && sent.previouslySent() != null
                        && JsonValues.holdsAll(server, sent.previouslySent())) {
                    return Verdict.of(Verdict.Kind.APPLIED_EARLIER, verdict.status(), server);
                }
                return verdict;
            case NOT_FOUND:
            case GONE:
                return kind == OperationKind.DELETE
                        ? Verdict.of(Verdict.Kind.ALREADY_APPLIED, verdict.status(), null) : verdict;
            default:
                return verdict;
        }
    }

    private Outcome count(SentOperation sent, Verdict verdict, Outcome outcome, Tally tally) {
        if (outcome == Outcome.PUSHED) {
            tally.pushed++;
        } else if (outcome == Outcome.ALREADY_APPLIED) {
            tally.pushed++;
            tally.alreadyApplied++;
        } else if (outcome == Outcome.ASK) {
            return askHandler(sent, verdict, tally);
        }
        return outcome;
    }

    /**
     * What the answers of a batch that were simply applied change, written together after the batch: the finished
     * operations removed with one statement, the server's records stored with one statement per table.
     */
    private final class Applied {
        final List<String> finished = new ArrayList<>();
        final Map<String, List<ObjectNode>> records = new LinkedHashMap<>();

        void write(StoreTransaction tx) {
            queue.removeAll(tx, finished);
            records.forEach(tx::upsert);
        }
    }

    /**
     * Stores an answer, inside the batch's transaction.
     *
     * @param now the record's operation as queued now, or {@code null} when it is gone
     */
    private Outcome store(StoreTransaction tx, SentOperation sent, Operation now, Verdict verdict, Tally tally,
            Applied applied) {
        Operation was = sent.operation();
        if (now == null) {
            return Outcome.LATER;
        }
        boolean unchanged = now.id().equals(was.id()) && now.revision() == was.revision();
        switch (verdict.kind()) {
            case APPLIED:
            case ALREADY_APPLIED:
                if (unchanged) {
                    applied.finished.add(now.id());
                    if (was.kind() != OperationKind.DELETE && verdict.record() != null) {
                        applied.records.computeIfAbsent(was.table(), t -> new ArrayList<>()).add(verdict.record());
                    }
                } else {
                    rebaseChanged(tx, now, verdict.record());
                }
                return verdict.kind() == Verdict.Kind.APPLIED ? Outcome.PUSHED : Outcome.ALREADY_APPLIED;
            case APPLIED_EARLIER:
                rebaseChanged(tx, now, verdict.record());
                return Outcome.RESEND;
            case CONFLICT:
            case NOT_FOUND:
            case GONE:
                if (!unchanged) {
                    queue.save(tx, now.withState(PendingOperation.State.PENDING));
                    return Outcome.LATER;
                }
                return Outcome.ASK;
            case TRANSIENT:
            case REJECTED:
            default:
                if (!unchanged) {
                    queue.save(tx, now.withState(PendingOperation.State.PENDING));
                    return Outcome.LATER;
                }
                Operation parked = now.parked(verdict.status(), verdict.error(), null,
                        verdict.kind() == Verdict.Kind.TRANSIENT
                                ? "the server failed (" + verdict.status() + "); retried on the next push"
                                : "the server refused it (" + verdict.status() + ")");
                queue.save(tx, parked);
                tally.parked.add(parked.view());
                return Outcome.PARKED;
        }
    }

    /**
     * The server applied an earlier state of an operation that has changed here since: keep the local data and the
     * operation, and only take the server's version (an applied insert becomes an update).
     */
    private void rebaseChanged(StoreTransaction tx, Operation now, ObjectNode server) {
        if (server == null) {
            queue.save(tx, now.withState(PendingOperation.State.PENDING));
            return;
        }
        OperationKind kind = now.kind() == OperationKind.INSERT ? OperationKind.UPDATE : now.kind();
        tx.lookup(now.table(), now.itemId()).ifPresent(row -> {
            Records.copySystemColumns(server, row);
            tx.upsert(now.table(), row);
        });
        queue.replace(tx, now, now.rebased(kind, Records.version(server), server, OperationQueue.newId()));
    }

    private Outcome askHandler(SentOperation sent, Verdict verdict, Tally tally) {
        Operation was = sent.operation();
        ObjectNode client = transaction((tx, untouched) -> tx.lookup(was.table(), was.itemId()).orElse(null));
        Conflict conflict = new Conflict(was.table(), was.itemId(), was.kind(), verdict.status(),
                was.kind() == OperationKind.DELETE ? null : client, verdict.record(), was.base());
        ConflictResolution resolution;
        try {
            resolution = Objects.requireNonNull(handler.resolve(conflict), "resolution");
        } catch (RuntimeException e) {
            resolution = ConflictResolution.park();
        }
        ConflictResolution chosen = resolution;
        Resolutions.Result result = transaction((tx, untouched) -> {
            Optional<Operation> now = queue.find(tx, was.table(), was.itemId());
            if (now.isEmpty()) {
                return Resolutions.Result.DONE;
            }
            if (!now.get().id().equals(was.id()) || now.get().revision() != was.revision()) {
                // Changed locally while the handler decided: the next push sends the new state.
                queue.save(tx, now.get().withState(PendingOperation.State.PENDING));
                return Resolutions.Result.DONE;
            }
            Resolutions.Result r;
            try {
                r = resolutions.apply(tx, now.get(), chosen, verdict.status(), verdict.record());
            } catch (IllegalArgumentException e) {
                // The handler's answer cannot be carried out (a merged record with another id): park instead.
                r = resolutions.park(tx, now.get(), verdict.status(), verdict.record(),
                        "the conflict handler's resolution was invalid: " + e.getMessage());
            }
            if (r == Resolutions.Result.PARKED) {
                queue.find(tx, was.table(), was.itemId()).ifPresent(op -> tally.parked.add(op.view()));
            }
            return r;
        });
        events.conflict(conflict, chosen);
        if (result == Resolutions.Result.PARKED) {
            return Outcome.PARKED;
        }
        tally.resolved++;
        return result == Resolutions.Result.RESEND ? Outcome.RESEND : Outcome.PUSHED;
    }

    private void parkNow(Key key, String reason, Tally tally) {
        transaction((tx, untouched) -> {
            queue.find(tx, key.table(), key.itemId()).ifPresent(op -> {
                resolutions.park(tx, op, 409, op.serverRecord(), reason);
                queue.find(tx, key.table(), key.itemId()).ifPresent(parked -> tally.parked.add(parked.view()));
            });
            return null;
        });
    }
}
