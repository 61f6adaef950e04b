package dev.outpost.todo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.SystemColumns;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One item of the todo list: a row of the tutorials' {@code todoitem} table. Immutable.
 *
 * <p>{@code text} and {@code complete} are the table's columns, so the app works with any backend built for the
 * official samples. {@code createdAt} and {@code updatedAt} are set by the server; they are {@code null} for an
 * item that has not been synced yet.
 *
 * @param id        the record id (a UUID for items added here)
 * @param text      what to do
 * @param complete  whether it is done
 * @param createdAt when the server first stored it, or {@code null}
 * @param updatedAt when the server last changed it, or {@code null}
 */
public record TodoItem(String id, String text, boolean complete, Instant createdAt, Instant updatedAt) {
    /** The column holding what to do. */
    public static final String TEXT = "text";
    /** The column telling whether it is done. */
    public static final String COMPLETE = "complete";

    /** A new, open item with no id yet (the store gives it one). */
    public static TodoItem of(String text) {
        return new TodoItem(null, text, false, null, null);
    }

    /** This item with another text. */
    public TodoItem withText(String newText) {
        return new TodoItem(id, newText, complete, createdAt, updatedAt);
    }

    /** This item marked done ({@code true}) or open again ({@code false}). */
    public TodoItem withComplete(boolean done) {
        return new TodoItem(id, text, done, createdAt, updatedAt);
    }

    /**
     * The item a record of the {@code todoitem} table holds (a missing {@code text} reads as empty, a missing
     * {@code complete} as open). Mapped by hand rather than by Jackson's data binding, which costs a noticeable part
     * of a second at start-up.
     */
    public static TodoItem fromJson(ObjectNode record) {
        JsonNode id = record.get(SystemColumns.ID);
        return new TodoItem(id == null || id.isNull() ? null : id.asText(), record.path(TEXT).asText(""),
                record.path(COMPLETE).asBoolean(false), instant(record.get(SystemColumns.CREATED_AT)),
                instant(record.get(SystemColumns.UPDATED_AT)));
    }

    /** The record to store: {@code id} (when it has one), {@code text} and {@code complete}. */
    public ObjectNode toJson() {
        ObjectNode record = JsonNodeFactory.instance.objectNode();
        if (id != null) {
            record.put(SystemColumns.ID, id);
        }
        record.put(TEXT, text);
        record.put(COMPLETE, complete);
        return record;
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
