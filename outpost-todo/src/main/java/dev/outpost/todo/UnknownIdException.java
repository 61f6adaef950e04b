package dev.outpost.todo;

/** No item's id starts with what the user typed. */
final class UnknownIdException extends TodoException {
    private static final long serialVersionUID = 1L;

    private final String prefix;

    UnknownIdException(String prefix, String where) {
        super("No " + where + " has an id starting with '" + prefix + "'.");
        this.prefix = prefix;
    }

    /** What the user typed. */
    String prefix() {
        return prefix;
    }
}
