package dev.outpost.todo;

import dev.outpost.client.sync.PendingOperation;
import java.util.ArrayList;
import java.util.List;

/** How an item reads on screen: its check mark, short id, text and sync state. Stateless. */
final class ItemText {
    /** The mark of a done item. */
    static final String DONE = "✓";
    /** The mark of an open item. */
    static final String OPEN = "○";

    private ItemText() {
    }

    /** "✓ 9f3c21  Buy milk": one item in a line. */
    static String line(TodoItem item, String shortId, Style style) {
        return mark(item, style) + " " + style.yellow(shortId) + "  " + text(item, style);
    }

    /** The check mark, green when done. */
    static String mark(TodoItem item, Style style) {
        return item.complete() ? style.green(DONE) : OPEN;
    }

    /** The text, dimmed when done. */
    static String text(TodoItem item, Style style) {
        return item.complete() ? style.dim(item.text()) : item.text();
    }

    /** The cells of a row of {@code list}: mark, short id, text, and when it changed or why it is not synced. */
    static List<Columns.Cell> row(TodoItem item, String shortId, PendingOperation pending, Output output) {
        Style style = output.style();
        List<Columns.Cell> cells = new ArrayList<>();
        cells.add(new Columns.Cell(item.complete() ? DONE : OPEN, item.complete() ? style::green : s -> s));
        cells.add(new Columns.Cell(shortId, style::yellow));
        cells.add(new Columns.Cell(item.text(), item.complete() ? style::dim : s -> s));
        cells.add(state(item, pending, output));
        return cells;
    }

    private static Columns.Cell state(TodoItem item, PendingOperation pending, Output output) {
        Style style = output.style();
        if (pending != null && pending.isParked()) {
            Integer status = pending.httpStatus();
            boolean conflict = status != null && (status == 409 || status == 412);
            return new Columns.Cell(conflict ? "conflict" : "refused by the server", style::red);
        }
        if (pending != null) {
            return new Columns.Cell("not synced", style::yellow);
        }
        if (item.updatedAt() != null) {
            return new Columns.Cell(output.ago(item.updatedAt()), style::dim);
        }
        return Columns.Cell.plain("");
    }

    /** "1 change" / "2 changes". */
    static String count(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
