package dev.outpost.client.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.sync.OperationKind;
import java.util.Objects;

/**
 * A queued change the server refused because the record changed there too (HTTP 409 or 412): what the app has,
 * what the server has, and what the record was when the app changed it. Immutable; the records are copies.
 *
 * @param table        the table
 * @param itemId       the record id
 * @param kind         the queued operation's kind
 * @param httpStatus   409 (insert of an existing id, or a version given in the body) or 412 (version mismatch)
 * @param clientRecord the local record now, or {@code null} for a delete
 * @param serverRecord the server's current record, or {@code null} if the server did not send one
 * @param baseRecord   the record as it was when the operation was first queued (the common ancestor for a
 *                     three-way merge), or {@code null} for an insert
 */
public record Conflict(
        String table,
        String itemId,
        OperationKind kind,
        int httpStatus,
        ObjectNode clientRecord,
        ObjectNode serverRecord,
        ObjectNode baseRecord) {

    /** A conflict; the records are copied. */
    public Conflict {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(kind, "kind");
        clientRecord = copy(clientRecord);
        serverRecord = copy(serverRecord);
        baseRecord = copy(baseRecord);
    }

    /** A copy of the local record, or {@code null} for a delete. */
    @Override
    public ObjectNode clientRecord() {
        return copy(clientRecord);
    }

    /** A copy of the server's record, or {@code null} if it sent none. */
    @Override
    public ObjectNode serverRecord() {
        return copy(serverRecord);
    }

    /** A copy of the record as it was when the change was queued, or {@code null} for an insert. */
    @Override
    public ObjectNode baseRecord() {
        return copy(baseRecord);
    }

    private static ObjectNode copy(ObjectNode node) {
        return node == null ? null : node.deepCopy();
    }
}
