package dev.outpost.client.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.SystemColumns;
import java.util.regex.Pattern;

/** Helpers for records as JSON objects: ids, versions, and the bodies the protocols expect. Thread-safe. */
public final class Records {
    /** The ids every protocol dialect accepts (v3 clients are the strictest). */
    private static final Pattern VALID_ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.|:-]{0,126}");

    private Records() {
    }

    /** The record's id, or {@code null} when absent, null or empty. */
    public static String id(JsonNode record) {
        String id = Json.text(record, SystemColumns.ID);
        return id == null || id.isEmpty() ? null : id;
    }

    /** The record's version, or {@code null}. */
    public static String version(JsonNode record) {
        return Json.text(record, SystemColumns.VERSION);
    }

    /** Whether the record is a tombstone. */
    public static boolean isDeleted(JsonNode record) {
        JsonNode deleted = record == null ? null : Json.getIgnoreCase(record, SystemColumns.DELETED);
        return deleted != null && deleted.asBoolean(false);
    }

    /**
     * Checks an id against the rules every dialect accepts.
     *
     * @throws IllegalArgumentException if it breaks them
     */
    public static String requireValidId(String id) {
        if (id == null || !VALID_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("invalid record id '" + id + "': expected a letter or digit followed "
                    + "by up to 126 letters, digits or _ . | : -");
        }
        return id;
    }

    /** A copy without {@code createdAt}, {@code updatedAt}, {@code deleted} and {@code version}: an insert body. */
    public static ObjectNode insertBody(ObjectNode record) {
        ObjectNode body = record.deepCopy();
        body.properties().removeIf(field -> isServerManaged(field.getKey()));
        return body;
    }

    /**
     * Whether a property (in any case) is one of the system properties the server sets, which request bodies leave
     * out: {@code createdAt}, {@code updatedAt}, {@code deleted}, {@code version} (the id stays).
     */
    public static boolean isServerManaged(String property) {
        return SystemColumns.isLeftOutOfBodies(property);
    }

    /** The same as {@link #insertBody}: the version travels in {@code If-Match}, not in the body. */
    public static ObjectNode updateBody(ObjectNode record) {
        return insertBody(record);
    }

    /** Copies the system properties of {@code from} onto {@code to}. */
    public static void copySystemColumns(ObjectNode from, ObjectNode to) {
        for (String column : SystemColumns.ALL) {
            if (column.equals(SystemColumns.ID)) {
                continue;
            }
            JsonNode value = Json.getIgnoreCase(from, column);
            Json.removeIgnoreCase(to, column);
            if (value != null) {
                to.set(column, value);
            }
        }
    }
}
