package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.Events;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.QueueWalk;
import dev.outpost.client.sync.Conflict;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.sync.OperationKind;
import java.util.Objects;
import java.util.Optional;

/**
 * The conflict step of a push: a conflict's answer was stored as {@link Outcome#ASK}; the handler decides, outside
 * any transaction, and its resolution is carried out in a transaction of its own, unless the operation changed
 * locally while the handler decided (then the next push sends what it is now). What the handler throws, or a
 * resolution that cannot be carried out, parks the operation. An operation the app resolved with
 * {@code keepClient} is rebased on a newer server version without asking again. Confined to the pushing thread;
 * one per push.
 */
final class ConflictStep {
    private final QueueWalk walk;
    private final OperationQueue queue;
    private final ConflictHandler handler;
    private final Resolutions resolutions;
    private final Events events;
    private final PushTally tally;

    ConflictStep(QueueWalk walk, OperationQueue queue, ConflictHandler handler, Resolutions resolutions,
            Events events, PushTally tally) {
        this.walk = walk;
        this.queue = queue;
        this.handler = handler;
        this.resolutions = resolutions;
        this.events = events;
        this.tally = tally;
    }

    /** Asks the handler about the conflict {@code verdict} of {@code sent} and carries its resolution out. */
    Outcome resolve(SentOperation sent, Verdict verdict) {
        Operation was = sent.operation();
        ObjectNode client = walk.transaction((tx, untouched) -> tx.lookup(was.table(), was.itemId()).orElse(null));
        Conflict conflict = new Conflict(was.table(), was.itemId(), was.kind(), verdict.status(),
                was.kind() == OperationKind.DELETE ? null : client, verdict.record(), was.base());
        ConflictResolution resolution;
        if (was.keepClient() && verdict.kind() == Verdict.Kind.CONFLICT) {
            // The app already chose to keep this change over the server's version: rebase it on the newer one.
            resolution = ConflictResolution.keepClient();
        } else {
            try {
                resolution = Objects.requireNonNull(handler.resolve(conflict), "resolution");
            } catch (RuntimeException e) {
                resolution = ConflictResolution.park();
            }
        }
        ConflictResolution chosen = resolution;
        Resolutions.Result result = walk.transaction((tx, untouched) -> {
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
                queue.find(tx, was.table(), was.itemId()).ifPresent(op -> tally.parked(op.view()));
            }
            return r;
        });
        events.conflict(conflict, chosen);
        if (result == Resolutions.Result.PARKED) {
            return Outcome.PARKED;
        }
        tally.resolved();
        return result == Resolutions.Result.RESEND ? Outcome.RESEND : Outcome.PUSHED;
    }

    /** Parks {@code key}'s operation: its conflict persisted after {@link PushTally#MAX_RESOLUTIONS} resolutions. */
    void parkPersisting(OperationQueue.Key key) {
        walk.transaction((tx, untouched) -> {
            queue.find(tx, key.table(), key.itemId()).ifPresent(op -> {
                resolutions.park(tx, op, 409, op.serverRecord(), "the conflict persisted after "
                        + PushTally.MAX_RESOLUTIONS + " resolutions");
                queue.find(tx, key.table(), key.itemId()).ifPresent(parked -> tally.parked(parked.view()));
            });
            return null;
        });
    }
}
