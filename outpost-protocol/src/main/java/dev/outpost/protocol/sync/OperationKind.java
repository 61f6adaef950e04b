package dev.outpost.protocol.sync;

import java.util.Locale;

/** What an operation does to its record on the server: the kinds a client queues and a native push carries. */
public enum OperationKind {
    /** Create the record. */
    INSERT,
    /** Change the record (a native push merges the given properties, like a v2 {@code PATCH}). */
    UPDATE,
    /** Delete the record (softly, where the table soft-deletes). */
    DELETE;

    /** The name on the wire and in a client's store: {@code insert}, {@code update}, {@code delete}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind whose {@link #wireName()} is {@code wireName}, or {@code null} when there is none. */
    public static OperationKind fromWireName(String wireName) {
        for (OperationKind kind : values()) {
            if (kind.wireName().equals(wireName)) {
                return kind;
            }
        }
        return null;
    }
}
