package dev.outpost.todo;

import java.util.List;

/** More than one item's id starts with what the user typed. */
final class AmbiguousIdException extends TodoException {
    private static final long serialVersionUID = 1L;

    private final String prefix;
    private final List<String> matches;

    AmbiguousIdException(String prefix, List<String> matches) {
        super("'" + prefix + "' is ambiguous: it starts " + matches.size() + " ids (" + sample(matches)
                + "); type more of the id.");
        this.prefix = prefix;
        this.matches = List.copyOf(matches);
    }

    /** What the user typed. */
    String prefix() {
        return prefix;
    }

    /** The ids it starts. */
    List<String> matches() {
        return matches;
    }

    private static String sample(List<String> ids) {
        List<String> shown = ids.size() > 3 ? ids.subList(0, 3) : ids;
        return String.join(", ", shown) + (ids.size() > 3 ? ", …" : "");
    }
}
