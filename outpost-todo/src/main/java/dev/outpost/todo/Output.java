package dev.outpost.todo;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;

/**
 * Where a command writes and how: standard output and error, whether they are a terminal, the colour style, and
 * the clock used for relative times. Immutable; the streams are shared.
 *
 * @param out      results (items, summaries, JSON)
 * @param err      errors and notes
 * @param terminal whether {@code out} is a terminal (progress lines are then updated in place)
 * @param style    colours, or none
 * @param clock    the time "now" for "2 minutes ago"
 */
record Output(PrintStream out, PrintStream err, boolean terminal, Style style, Clock clock) {

    /** The same output with colour turned off (for {@code --json} and {@code --no-color}). */
    Output withoutColour() {
        return style.colour() ? new Output(out, err, terminal, new Style(false), clock) : this;
    }

    /** How long ago {@code then} was, in words. */
    String ago(Instant then) {
        return RelativeTime.ago(then, clock.instant(), clock.getZone());
    }
}
