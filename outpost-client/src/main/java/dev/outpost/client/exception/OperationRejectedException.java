package dev.outpost.client.exception;

import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.OutpostException;
import dev.outpost.protocol.sync.OperationKind;

/**
 * A local insert, update or delete that cannot be queued given what is already queued for the record: anything
 * after a delete, or an insert of a record that already exists. Nothing was written.
 *
 * <p>Thrown by {@link dev.outpost.client.SyncTable}'s write methods; the message names the table, the record id
 * and both operations.
 */
public final class OperationRejectedException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final transient PendingOperation existing;
    private final OperationKind attempted;

    /**
     * A rejection of {@code attempted} because of {@code existing}.
     *
     * @param existing  the operation already queued for the record, or {@code null} when the record exists locally
     *                  with nothing queued (an insert of an existing id)
     * @param attempted what the app tried to do
     * @param message   what went wrong, for people
     */
    public OperationRejectedException(PendingOperation existing, OperationKind attempted, String message) {
        super(message);
        this.existing = existing;
        this.attempted = attempted;
    }

    /** The operation already queued for the record, or {@code null} if nothing was queued. */
    public PendingOperation existing() {
        return existing;
    }

    /** What the app tried to do. */
    public OperationKind attempted() {
        return attempted;
    }
}
