package dev.outpost.protocol.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ErrorBody;
import java.util.Objects;

/**
 * The server's answer to one operation of a native batch push. Immutable (the item is not copied).
 *
 * @param id         the operation's id
 * @param status     what became of it
 * @param httpStatus the HTTP status the same operation would have had as a table request: 409 or 412 for a
 *                   conflict, 410 gone, 404 not found, a 4xx for a refusal; {@code null} when applied
 * @param item       applied: the record as stored (a delete's tombstone, or {@code null}); already applied: the result
 *                   stored then; conflict: the server's current record; gone: the tombstone; otherwise {@code null}
 * @param error      a refusal's error body, otherwise {@code null}
 */
public record OperationResult(String id, Status status, Integer httpStatus, ObjectNode item, ErrorBody error) {

    /** A result; {@code id} and {@code status} are required. */
    public OperationResult {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(status, "status");
    }

    /** What became of an operation. */
    public enum Status {
        /** Applied now. */
        APPLIED("applied"),
        /** Applied by an earlier request with the same operation id (a re-sent batch). */
        ALREADY_APPLIED("alreadyApplied"),
        /** The version precondition failed (412) or an insert met an existing id (409). */
        CONFLICT("conflict"),
        /** An update of a soft-deleted record (410). */
        GONE("gone"),
        /** An update of a record that does not exist (404). */
        NOT_FOUND("notFound"),
        /** The operation is invalid (a bad id, a wrong type, an unknown column or table). */
        REJECTED("rejected");

        private final String wireName;

        Status(String wireName) {
            this.wireName = wireName;
        }

        /** The name on the wire. */
        public String wireName() {
            return wireName;
        }

        /** The status named {@code wireName}, or {@code null} when there is none. */
        public static Status fromWireName(String wireName) {
            for (Status status : values()) {
                if (status.wireName.equals(wireName)) {
                    return status;
                }
            }
            return null;
        }
    }

    /** Applied now; {@code item} is the record as stored (or {@code null} for a delete that stored none). */
    public static OperationResult applied(String id, ObjectNode item) {
        return new OperationResult(id, Status.APPLIED, null, item, null);
    }

    /** Applied by an earlier request; {@code item} is the result stored then. */
    public static OperationResult alreadyApplied(String id, ObjectNode item) {
        return new OperationResult(id, Status.ALREADY_APPLIED, null, item, null);
    }

    /** A conflict (409 or 412) with the server's current record. */
    public static OperationResult conflict(String id, int httpStatus, ObjectNode current) {
        return new OperationResult(id, Status.CONFLICT, httpStatus, current, null);
    }

    /** An update of a soft-deleted record, with its tombstone. */
    public static OperationResult gone(String id, ObjectNode tombstone) {
        return new OperationResult(id, Status.GONE, 410, tombstone, null);
    }

    /** An update of a record that does not exist. */
    public static OperationResult notFound(String id) {
        return new OperationResult(id, Status.NOT_FOUND, 404, null, null);
    }

    /** A refused operation, with the status and error body a table request would have had. */
    public static OperationResult rejected(String id, int httpStatus, ErrorBody error) {
        return new OperationResult(id, Status.REJECTED, httpStatus, null, error);
    }
}
