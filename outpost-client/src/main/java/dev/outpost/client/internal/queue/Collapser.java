package dev.outpost.client.internal.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.OperationRejectedException;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.sync.OperationKind;
import java.util.Optional;

/**
 * The collapse rules, as the official SDKs have them: a record has at most one queued operation, and a further
 * local change is folded into it. Insert then update is an insert; insert (never sent) then delete is nothing;
 * update then delete is a delete; nothing can follow a delete, and an insert cannot follow anything. Stateless.
 */
final class Collapser {
    private Collapser() {
    }

    /**
     * The record's operation after {@code kind} is folded into {@code existing}, or empty when the two cancel out.
     * An operation that was sent gets a new id: it may have been applied, so its id must not name different content.
     *
     * @param before the local record before this change (kept as a delete's item)
     * @throws OperationRejectedException if {@code kind} cannot follow {@code existing}
     */
    static Optional<Operation> collapse(Operation existing, OperationKind kind, ObjectNode before) {
        if (existing.kind() == OperationKind.DELETE) {
            throw rejected(existing, kind, "a delete of it is already queued; nothing can follow a delete");
        }
        if (kind == OperationKind.INSERT) {
            throw rejected(existing, kind, "an " + existing.kind().wireName() + " of it is already queued");
        }
        if (existing.kind() == OperationKind.INSERT && kind == OperationKind.DELETE && existing.attempts() == 0
                && existing.state() == PendingOperation.State.PENDING) {
            return Optional.empty();
        }
        OperationKind collapsed = existing.kind() == OperationKind.INSERT && kind == OperationKind.UPDATE
                ? OperationKind.INSERT : kind;
        String id = existing.attempts() > 0 ? OperationQueue.newId() : existing.id();
        return Optional.of(existing.changed(id, collapsed, kind == OperationKind.DELETE ? before : existing.item()));
    }

    private static OperationRejectedException rejected(Operation existing, OperationKind attempted, String why) {
        return new OperationRejectedException(existing.view(), attempted, "cannot queue an " + attempted.wireName()
                + " of record '" + existing.itemId() + "' in table '" + existing.table() + "': " + why);
    }
}
