package dev.outpost.client.sync;

import java.util.Locale;

/** What a queued operation does to its record on the server. */
public enum OperationKind {
    /** Create the record. */
    INSERT,
    /** Change the record. */
    UPDATE,
    /** Delete the record. */
    DELETE;

    /** The lower-case name used on the wire and in the store ({@code insert}, {@code update}, {@code delete}). */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The kind named {@code name} (any case).
     *
     * @throws IllegalArgumentException if it names none
     */
    public static OperationKind fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
