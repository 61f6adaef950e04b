package dev.outpost.client.internal.push;

import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.internal.http.NativeUnavailableException;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.QueueWalk;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.sync.PushResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * One push: walks the queue in batches, each through the same stages. A batch is taken from the walk and marked in
 * flight ({@link Outgoing}, one transaction), sent by the transport (no lock held), its answers recognised
 * ({@link Verdict#recognisedFor}) and stored ({@link Answers}, one transaction), and its conflicts settled
 * ({@link ConflictStep}). A lost answer leaves the operations queued; the next push re-sends them and recognises
 * them as applied.
 *
 * <p>Native batches are pipelined: while batch n is on its way (its HTTP request runs on a sender thread that never
 * touches the store), the pushing thread prepares batch n + 1; when batch n's answer sends nothing back into the
 * queue, batch n + 1 is sent at once and batch n's answer stored while it travels. Batches reach the server in
 * queue order, one at a time; an answer that may send an operation again (a conflict, an earlier attempt found
 * applied) puts the prepared batch back behind it.
 *
 * <p>Confined to the pushing thread (all store work and callbacks run on it); one per push.
 */
final class PushRun {
    private static final ThreadFactory SENDER_THREADS = task -> {
        Thread thread = new Thread(task, "outpost-push-sender");
        thread.setDaemon(true);
        return thread;
    };

    private final QueueWalk walk;
    private final TableApi api;
    private final Outgoing outgoing;
    private final Answers answers;
    private final ConflictStep conflicts;
    private final PushTally tally;
    private Transport transport;

    PushRun(QueueWalk walk, TableApi api, Outgoing outgoing, Answers answers, ConflictStep conflicts,
            PushTally tally) {
        this.walk = walk;
        this.api = api;
        this.outgoing = outgoing;
        this.answers = answers;
        this.conflicts = conflicts;
        this.tally = tally;
    }

    /** A batch taken from the walk: its records' keys, what of it was marked in flight, and its send made ready. */
    private record Batch(List<OperationQueue.Key> keys, List<SentOperation> sent, Transport.Call call) {
    }

    /**
     * A batch's answer recognised, whether storing it may send an operation again, and the failure that stops the
     * push once the answer is stored ({@code null}: none).
     */
    private record Answer(Batch batch, List<Verdict> verdicts, boolean mayResend, ServerResponseException stop) {
    }

    /** Pushes what the walk holds; returns the tally. */
    PushResult run() {
        if (!walk.hasMore()) {
            return tally.result();
        }
        transport = api.useNative() ? new BatchPush(api) : new SinglePush(api);
        ExecutorService sender = Executors.newSingleThreadExecutor(SENDER_THREADS);
        try {
            pipeline(sender);
        } finally {
            sender.shutdown();
        }
        return tally.result();
    }

    private void pipeline(ExecutorService sender) {
        Batch current = nextBatch();
        Future<List<Verdict>> inFlight = current == null ? null : sender.submit(current.call()::send);
        Batch next = null;
        boolean nextReady = false;
        while (current != null) {
            // While a batch is on its way, the next one is taken and marked in flight (unless that was done
            // together with storing the previous answer).
            if (!nextReady) {
                next = transport.batchSize() > 1 ? nextBatch() : null;
            }
            nextReady = false;
            Answer answer;
            try {
                answer = recognise(current, await(inFlight));
            } catch (NativeUnavailableException e) {
                // The server announced the native extensions but lacks them: send these again as v3 requests.
                api.nativeUnavailable();
                transport = new SinglePush(api);
                putBack(next);
                putBack(current);
                current = nextBatch();
                inFlight = current == null ? null : sender.submit(current.call()::send);
                continue;
            } catch (ServerResponseException e) {
                // The request failed as a whole (401, 5xx, an unknown table, an answer that is not the protocol's):
                // nothing of it is taken; every operation stays queued, none parked.
                markPending(current);
                markPending(next);
                throw e;
            } catch (RuntimeException e) {
                // The batch's answer is lost (its operations stay in flight: they may have been applied); the one
                // prepared meanwhile was never sent.
                markPending(next);
                throw e;
            }
            if (answer.stop() != null) {
                // Part of the answer is about the request as a whole: store the rest, then stop.
                store(answer);
                markPending(next);
                throw answer.stop();
            }
            if (answer.mayResend()) {
                // An answer may send an operation again, and that goes before the batch prepared meanwhile: the
                // prepared batch waits in the walk and is taken again after the resolutions.
                putBack(next);
                store(answer);
                current = nextBatch();
            } else if (next != null) {
                // Nothing in this answer goes back into the queue: send the next batch now, and store this answer
                // while it travels, together with taking the batch after it (FIFO holds: the server received this
                // batch before the next).
                current = next;
                inFlight = sender.submit(current.call()::send);
                next = storeAndTakeNext(answer);
                nextReady = true;
                continue;
            } else {
                store(answer);
                current = nextBatch();
            }
            inFlight = current == null ? null : sender.submit(current.call()::send);
        }
    }

    /** Takes batches from the walk until one has something to send; {@code null} when the walk is done. */
    private Batch nextBatch() {
        while (walk.hasMore()) {
            Batch batch = walk.transaction((tx, untouched) -> take(tx));
            if (!batch.sent().isEmpty()) {
                return batch;
            }
        }
        return null;
    }

    private Batch take(StoreTransaction tx) {
        Map<OperationQueue.Key, Operation> operations = walk.next(tx, transport.batchSize());
        List<SentOperation> sent = operations.isEmpty() ? List.of() : outgoing.mark(tx, operations.values());
        return new Batch(new ArrayList<>(operations.keySet()), sent, sent.isEmpty() ? null
                : transport.call(sent, walk.queued(tx)));
    }

    private static Answer recognise(Batch batch, List<Verdict> verdicts) {
        List<Verdict> recognised = new ArrayList<>(verdicts.size());
        boolean mayResend = false;
        ServerResponseException stop = null;
        for (int i = 0; i < batch.sent().size(); i++) {
            Verdict verdict = verdicts.get(i).recognisedFor(batch.sent().get(i));
            recognised.add(verdict);
            mayResend |= verdict.mayResend();
            if (stop == null && verdict.kind() == Verdict.Kind.STOP) {
                stop = verdict.stop();
            }
        }
        return new Answer(batch, recognised, mayResend, stop);
    }

    /** Stores an answer in one transaction, then settles its conflicts; what to send again goes first. */
    private void store(Answer answer) {
        List<Outcome> outcomes = walk.transaction((tx, untouched) -> storeIn(tx, untouched, answer));
        walk.putBack(settle(answer, outcomes));
    }

    /**
     * Stores an answer that sends nothing back into the queue and takes the next batch, in one transaction (one
     * commit instead of two). Returns the batch taken, or {@code null} when the walk is done.
     */
    private Batch storeAndTakeNext(Answer answer) {
        record StoredAndTaken(List<Outcome> outcomes, Batch taken) {
        }
        StoredAndTaken done = walk.transaction((tx, untouched) ->
                new StoredAndTaken(storeIn(tx, untouched, answer), take(tx)));
        List<OperationQueue.Key> resend = settle(answer, done.outcomes());
        if (!resend.isEmpty()) {
            // Something must be sent again first (not expected of such an answer, but FIFO holds regardless): it
            // goes before the batch just taken, which waits in the walk.
            if (!done.taken().sent().isEmpty()) {
                putBack(done.taken());
            }
            walk.putBack(resend);
            return nextBatch();
        }
        // Nothing of the batch taken to send (parked meanwhile, or gone): on to the next one.
        return done.taken().sent().isEmpty() ? nextBatch() : done.taken();
    }

    private List<Outcome> storeIn(StoreTransaction tx, boolean untouched, Answer answer) {
        List<Operation> sent = new ArrayList<>(answer.batch().sent().size());
        for (SentOperation s : answer.batch().sent()) {
            sent.add(s.operation());
        }
        return answers.store(tx, walk.current(tx, untouched, sent), answer.batch().sent(), answer.verdicts(), tally);
    }

    /** Counts the stored answers and asks the handler about conflicts; returns what to send again, in order. */
    private List<OperationQueue.Key> settle(Answer answer, List<Outcome> outcomes) {
        List<OperationQueue.Key> resend = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            SentOperation sent = answer.batch().sent().get(i);
            Outcome outcome = outcomes.get(i);
            if (outcome == Outcome.ASK) {
                outcome = conflicts.resolve(sent, answer.verdicts().get(i));
            } else {
                tally.count(outcome);
            }
            if (outcome == Outcome.RESEND) {
                OperationQueue.Key key = OperationQueue.Key.of(sent.operation());
                if (tally.mayResend(key)) {
                    resend.add(key);
                } else {
                    conflicts.parkPersisting(key);
                }
            }
        }
        return resend;
    }

    /** Puts a batch taken but not sent back at the front of the walk. */
    private void putBack(Batch batch) {
        if (batch != null) {
            walk.putBack(batch.keys());
        }
    }

    /** Back to pending: operations marked in flight that a 401 stopped (or that were never sent). */
    private void markPending(Batch batch) {
        if (batch != null) {
            walk.transaction((tx, untouched) -> {
                outgoing.unmark(tx, batch.sent());
                return null;
            });
        }
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
}
