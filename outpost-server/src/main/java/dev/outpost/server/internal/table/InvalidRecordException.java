package dev.outpost.server.internal.table;

import dev.outpost.protocol.OutpostException;

/**
 * A record sent by a client breaks a rule: an invalid id, a wrong type, a reserved or invalid property name, a
 * body that is not a JSON object. {@link #code()} is the stable error code of the JSON answer.
 */
public final class InvalidRecordException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final String property;

    /**
     * Creates the exception.
     *
     * @param code     the stable error code, e.g. {@code wrongType}, {@code invalidId}, {@code reservedProperty}
     * @param property the property concerned, or {@code null}
     * @param message  what was wrong (never the record's contents)
     */
    public InvalidRecordException(String code, String property, String message) {
        super(message);
        this.code = code;
        this.property = property == null ? null : UnknownTableException.abbreviate(property);
    }

    /** The stable error code. */
    public String code() {
        return code;
    }

    /** The property concerned, or {@code null}. */
    public String property() {
        return property;
    }
}
