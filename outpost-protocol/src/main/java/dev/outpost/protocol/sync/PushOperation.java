package dev.outpost.protocol.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
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
public record PushOperation(String id, String table, Kind kind, String itemId, String version, ObjectNode item) {

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
        if (kind != Kind.DELETE && item == null) {
            throw new IllegalArgumentException("an " + kind.wireName() + " operation needs an item");
        }
    }

    /** What an operation does. */
    public enum Kind {
        /** Creates the record. */
        INSERT,
        /** Merges the item's properties into the record (like a v2 {@code PATCH}). */
        UPDATE,
        /** Deletes the record (softly, where the table soft-deletes). */
        DELETE;

        /** The name on the wire: {@code insert}, {@code update}, {@code delete}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind named {@code wireName}, or {@code null} when there is none. */
        public static Kind fromWireName(String wireName) {
            for (Kind kind : values()) {
                if (kind.wireName().equals(wireName)) {
                    return kind;
                }
            }
            return null;
        }
    }
}
