package dev.outpost.todo;

import java.time.Instant;

/**
 * One item of the todo list: a row of the tutorials' {@code todoitem} table, mapped to and from its records by the
 * client SDK ({@code SyncTable<TodoItem>}). Immutable.
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
    /** An item; a missing text (a record written by another app) reads as empty. */
    public TodoItem {
        text = text == null ? "" : text;
    }

    /** The column holding what to do. */
    public static final String TEXT = "text";
    /** The column telling whether it is done. */
    public static final String COMPLETE = "complete";

    /** A new, open item with no id yet (the store gives it one). */
    public static TodoItem of(String text) {
        return new TodoItem(null, text, false, null, null);
    }

    /** This item with the id {@code newId}. */
    public TodoItem withId(String newId) {
        return new TodoItem(newId, text, complete, createdAt, updatedAt);
    }

    /** This item with another text. */
    public TodoItem withText(String newText) {
        return new TodoItem(id, newText, complete, createdAt, updatedAt);
    }

    /** This item marked done ({@code true}) or open again ({@code false}). */
    public TodoItem withComplete(boolean done) {
        return new TodoItem(id, text, done, createdAt, updatedAt);
    }
}
