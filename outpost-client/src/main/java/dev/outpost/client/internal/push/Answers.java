package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.sync.OperationKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores a batch's answers, inside one transaction: an applied operation leaves the queue and the server's record
 * replaces the local one, unless the operation changed locally while it was on its way (invariant 4): then only
 * the server's version is taken and the operation stays queued. A refusal of the record's content parks the
 * operation, an answer about the whole request leaves it queued as it is ({@link Verdict.Kind#STOP});
 * conflicts are left for the conflict step ({@link Outcome#ASK}). What the simply applied answers change is written
 * together: the finished operations removed with one statement, the records stored with one statement per table.
 * Stateless, thread-safe.
 */
final class Answers {
    private final OperationQueue queue;

    Answers(OperationQueue queue) {
        this.queue = queue;
    }

    /**
     * Stores the answers to {@code sent}, one verdict each (already recognised), and returns their outcomes.
     *
     * @param current the operations of {@code sent} as queued now, by key (absent: gone meanwhile)
     */
    List<Outcome> store(StoreTransaction tx, Map<OperationQueue.Key, Operation> current, List<SentOperation> sent,
            List<Verdict> verdicts, PushTally tally) {
        Applied applied = new Applied();
        List<Outcome> outcomes = new ArrayList<>(sent.size());
        for (int i = 0; i < sent.size(); i++) {
            Operation was = sent.get(i).operation();
            outcomes.add(store(tx, was, current.get(OperationQueue.Key.of(was)), verdicts.get(i), tally, applied));
        }
        applied.write(tx);
        return outcomes;
    }

    /** The answers that were simply applied, written together after the batch. */
    private final class Applied {
        final List<String> finished = new ArrayList<>();
        final Map<String, List<ObjectNode>> records = new LinkedHashMap<>();

        void write(StoreTransaction tx) {
            queue.removeAll(tx, finished);
            records.forEach(tx::upsert);
        }
    }

    /**
     * Stores one answer.
     *
     * @param now the record's operation as queued now, or {@code null} when it is gone
     */
    private Outcome store(StoreTransaction tx, Operation was, Operation now, Verdict verdict, PushTally tally,
            Applied applied) {
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
            case STOP:
                // About the request, not the record: the operation stays queued as it is, not parked.
                queue.save(tx, now.withState(PendingOperation.State.PENDING));
                return Outcome.LATER;
            case REJECTED:
            default:
                if (!unchanged) {
                    queue.save(tx, now.withState(PendingOperation.State.PENDING));
                    return Outcome.LATER;
                }
                Operation parked = now.parked(verdict.status(), verdict.error(), null,
                        "the server refused it (" + verdict.status() + ")");
                queue.save(tx, parked);
                tally.parked(parked.view());
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
}
