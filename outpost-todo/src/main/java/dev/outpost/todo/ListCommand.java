package dev.outpost.todo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outpost.client.sync.PendingOperation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo list}: the items, from the local store only (it never contacts the server). */
@Command(name = "list", aliases = "ls", mixinStandardHelpOptions = true,
        description = {
            "List the open items (with --all, the done ones too), from the local store: works with no network.",
            "",
            "Each line: ○ open or ✓ done, the short id, the text, and when it last changed on the server (or "
                    + "\"not synced\" for a change the next sync sends, \"conflict\" for one that needs you).",
            "",
        })
final class ListCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Option(names = {"-a", "--all"}, description = "Include the done items.")
    boolean all;

    @Option(names = "--json", description = "Print a JSON array of {id, text, complete} instead, for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Output output = app.output(json);
        try (TodoList list = app.open()) {
            if (json) {
                Json.print(output.out(), items(list, all));
            } else {
                print(output, list, all);
            }
        }
        return ExitCodes.OK;
    }

    /** The items shown (every one with {@code all}, else the open ones) as a JSON array of {id, text, complete}. */
    static ArrayNode items(TodoList list, boolean all) {
        ArrayNode array = Json.array();
        for (TodoItem item : list.items()) {
            if (all || !item.complete()) {
                array.add(Json.item(item));
            }
        }
        return array;
    }

    /** Prints the list as {@code list} does: a row per item shown, then the summary line. */
    static void print(Output output, TodoList list, boolean all) {
        List<TodoItem> items = list.items();
        List<TodoItem> shown = new ArrayList<>();
        for (TodoItem item : items) {
            if (all || !item.complete()) {
                shown.add(item);
            }
        }
        Map<String, PendingOperation> pending = list.pendingByItem();
        Map<String, String> shortIds = ShortIds.of(items.stream().map(TodoItem::id).toList());
        Columns columns = new Columns();
        for (TodoItem item : shown) {
            columns.row(ItemText.row(item, shortIds.get(item.id()), pending.get(item.id()), output));
        }
        if (shown.isEmpty()) {
            output.out().println(items.isEmpty() ? "Nothing to do. Add an item: ./outpost todo add Buy milk"
                    : "Nothing left to do.");
        } else {
            columns.print(output.out(), "");
        }
        output.out().println(output.style().dim(summary(items, pending, all)));
    }

    private static String summary(List<TodoItem> items, Map<String, PendingOperation> pending, boolean all) {
        long done = items.stream().filter(TodoItem::complete).count();
        long open = items.size() - done;
        long parked = pending.values().stream().filter(PendingOperation::isParked).count();
        StringBuilder text = new StringBuilder(open + " open · " + done + " done");
        if (done > 0 && !all) {
            text.append(" (list --all shows them)");
        }
        if (pending.size() > parked) {
            text.append(" · ").append(ItemText.count(pending.size() - parked, "change", "changes"))
                    .append(" not synced");
        }
        if (parked > 0) {
            text.append(" · ").append(ItemText.count(parked, "conflict", "conflicts"))
                    .append(" (see: ./outpost todo conflicts)");
        }
        return text.toString();
    }
}
