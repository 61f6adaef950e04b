package dev.outpost.client.testing;

import java.time.Instant;

/** The Todo record type the tests use: a Java record with the system properties found by name. */
public record Todo(String id, String text, boolean complete, String version, Instant updatedAt) {
    /** A new todo without id or system properties. */
    public static Todo of(String text) {
        return new Todo(null, text, false, null, null);
    }

    /** This todo with another text. */
    public Todo withText(String newText) {
        return new Todo(id, newText, complete, version, updatedAt);
    }

    /** This todo marked complete. */
    public Todo completed() {
        return new Todo(id, text, true, version, updatedAt);
    }
}
