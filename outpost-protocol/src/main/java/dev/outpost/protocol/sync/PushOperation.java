package dev.outpost.protocol.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One operation of a native batch push. Immutable (the item is not copied: do not change it while the operation is
 * in use).
 *
 * @param id      the client's operation id, unique per operation: it makes the push idempotent
 * @param table   the table
 * @param kind    what the operation does
 * @param itemId  the record's id
 * @param version the version the client last saw (a precondition like {@code If-Match}), or {@code null}: none
 * @param item    the record for an insert or update (its server-managed properties and {@code version} are left out
 *                when it is written); {@code null} for a delete
 */
public record PushOperation(String id, String table, OperationKind kind, String itemId, String version,
        ObjectNode item) {

    /**
     * An operation.
     *
     * @throws NullPointerException     if the id, table, kind or item id is missing
     * @throws IllegalArgumentException if an insert or update has no item
     */
    public PushOperation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(itemId, "itemId");
        if (kind != OperationKind.DELETE && item == null) {
            throw new IllegalArgumentException("an " + kind.wireName() + " operation needs an item");
        }
    }
}
