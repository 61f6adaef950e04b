package dev.outpost.server.internal.store;

import dev.outpost.protocol.OutpostException;

/**
 * A write would leave a record that its writer may not see (the table's row rule refuses the new record): nothing
 * was changed. Answered 403.
 */
public final class OutsideViewException extends OutpostException {
    /** What the exception says. */
    public static final String MESSAGE = "the record would not be yours to see: the table's row rule refuses it";
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public OutsideViewException() {
        super(MESSAGE);
    }
}
