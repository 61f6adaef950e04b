package dev.outpost.todo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Rows printed as aligned columns, two spaces apart. Widths are measured on the plain text (in code points), and
 * each cell's colour is applied after padding, so colour codes never break the alignment. Not thread-safe.
 */
final class Columns {
    /** One cell: its plain text and how to paint it. */
    record Cell(String text, UnaryOperator<String> paint) {
        static Cell plain(String text) {
            return new Cell(text, UnaryOperator.identity());
        }
    }

    private final List<List<Cell>> rows = new ArrayList<>();

    /** Adds a row of unpainted cells. */
    Columns row(String... cells) {
        List<Cell> row = new ArrayList<>();
        for (String cell : cells) {
            row.add(Cell.plain(cell));
        }
        rows.add(row);
        return this;
    }

    /** Adds a row. */
    Columns row(List<Cell> cells) {
        rows.add(List.copyOf(cells));
        return this;
    }

    /** Prints the rows, each line starting with {@code indent}; the last column is not padded. */
    void print(PrintStream out, String indent) {
        List<Integer> widths = new ArrayList<>();
        for (List<Cell> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                int width = width(row.get(i).text());
                if (i == widths.size()) {
                    widths.add(width);
                } else if (width > widths.get(i)) {
                    widths.set(i, width);
                }
            }
        }
        for (List<Cell> row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int i = 0; i < row.size(); i++) {
                Cell cell = row.get(i);
                boolean last = i == row.size() - 1;
                line.append(cell.paint().apply(cell.text()));
                if (!last) {
                    line.append(" ".repeat(widths.get(i) - width(cell.text()) + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static int width(String text) {
        return text.codePointCount(0, text.length());
    }
}
