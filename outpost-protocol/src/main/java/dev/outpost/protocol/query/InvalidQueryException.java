package dev.outpost.protocol.query;

import dev.outpost.protocol.OutpostException;

/**
 * A {@code $filter}, {@code $orderby} or other query option that cannot be understood.
 *
 * <p>{@link #position()} is the zero-based character offset in {@link #input()} where the problem was found, or
 * {@code -1} when it concerns the whole value (for example a {@code $top} that is not a number).
 */
public final class InvalidQueryException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final String parameter;
    private final String input;
    private final int position;

    public InvalidQueryException(String parameter, String input, int position, String message) {
        super(message);
        this.parameter = parameter;
        this.input = input;
        this.position = position;
    }

    /** The query option concerned, e.g. {@code $filter}. */
    public String parameter() {
        return parameter;
    }

    /** The text that was being read. */
    public String input() {
        return input;
    }

    /** Zero-based offset of the problem in {@link #input()}, or {@code -1}. */
    public int position() {
        return position;
    }
}
