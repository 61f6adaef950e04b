package dev.outpost.todo;

/**
 * Terminal colours, or none: every method returns its text unchanged when colour is off. Colour is on only when
 * the output is a terminal, {@code NO_COLOR} is not set, {@code TERM} is not {@code dumb}, and neither
 * {@code --no-color} nor {@code --json} was given (see {@link TodoApp}). Immutable.
 */
final class Style {
    private static final String RESET = "\u001b[0m";

    private final boolean colour;

    Style(boolean colour) {
        this.colour = colour;
    }

    /** Whether this style adds colour. */
    boolean colour() {
        return colour;
    }

    String bold(String text) {
        return paint("1", text);
    }

    String dim(String text) {
        return paint("2", text);
    }

    String green(String text) {
        return paint("32", text);
    }

    String yellow(String text) {
        return paint("33", text);
    }

    String red(String text) {
        return paint("31", text);
    }

    String cyan(String text) {
        return paint("36", text);
    }

    private String paint(String code, String text) {
        return colour && !text.isEmpty() ? "\u001b[" + code + "m" + text + RESET : text;
    }
}
