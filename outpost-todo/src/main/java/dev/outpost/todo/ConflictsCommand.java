package dev.outpost.todo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.outpost.client.sync.ConflictResolution;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code outpost todo conflicts}: the parked changes, mine and the server's side by side, and their resolution
 * with {@code keep-mine ID} or {@code keep-server ID}.
 */
@Command(name = "conflicts", mixinStandardHelpOptions = true,
        description = {
            "List the conflicts parked by sync, mine and the server's side by side; resolve them.",
            "",
            "A conflict is an item changed here and on the server in the same field (or removed on one side and "
                    + "changed on the other); changes the server refused are listed too. Resolve one with "
                    + "`conflicts keep-mine ID` or `conflicts keep-server ID`, then sync.",
            "",
        },
        subcommands = {ConflictsCommand.KeepMine.class, ConflictsCommand.KeepServer.class})
final class ConflictsCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Option(names = "--json", description = "Print a JSON array instead: for each, id, change, status, why, "
            + "and the records mine and server ({id, text, complete, …} or null).")
    boolean json;

    @Override
    public Integer call() {
        Output output = app.output(json);
        try (TodoList list = app.open()) {
            List<TodoList.Parked> parked = list.parked();
            if (json) {
                ArrayNode array = Json.array();
                parked.forEach(p -> array.add(ParkedText.json(p)));
                Json.print(output.out(), array);
                return ExitCodes.OK;
            }
            if (parked.isEmpty()) {
                output.out().println("No conflicts.");
                return ExitCodes.OK;
            }
            output.out().println(ItemText.count(parked.size(), "conflict", "conflicts") + ":");
            Map<String, String> shortIds = ParkedText.shortIds(parked);
            for (TodoList.Parked p : parked) {
                output.out().println();
                ParkedText.print(p, shortIds.get(p.operation().itemId()), output);
            }
            String example = shortIds.get(parked.get(0).operation().itemId());
            output.out().println();
            output.out().println(output.style().dim("Resolve with: ./outpost todo conflicts keep-mine " + example
                    + "   or   ./outpost todo conflicts keep-server " + example));
        }
        return ExitCodes.OK;
    }

    /** {@code conflicts keep-mine ID}. */
    @Command(name = "keep-mine", mixinStandardHelpOptions = true,
            description = "Keep my version: the next sync sends it again, over the server's current one.")
    static final class KeepMine implements Callable<Integer> {
        @ParentCommand
        ConflictsCommand conflicts;

        @Parameters(paramLabel = "ID", description = "The item's id, or any unique prefix of it.")
        String id;

        @Override
        public Integer call() {
            return resolve(conflicts.app, id, true);
        }
    }

    /** {@code conflicts keep-server ID}. */
    @Command(name = "keep-server", mixinStandardHelpOptions = true,
            description = "Take the server's version: my change is dropped and the item becomes the server's.")
    static final class KeepServer implements Callable<Integer> {
        @ParentCommand
        ConflictsCommand conflicts;

        @Parameters(paramLabel = "ID", description = "The item's id, or any unique prefix of it.")
        String id;

        @Override
        public Integer call() {
            return resolve(conflicts.app, id, false);
        }
    }

    private static int resolve(TodoApp app, String typedId, boolean mine) {
        Output output = app.output(false);
        Style style = output.style();
        try (TodoList list = app.open()) {
            TodoList.Parked parked = list.findParked(typedId);
            String shortId = ParkedText.shortIds(list.parked()).get(parked.operation().itemId());
            list.resolve(parked, mine ? ConflictResolution.keepClient() : ConflictResolution.takeServer());
            if (mine) {
                output.out().println("Keeping mine for " + style.yellow(shortId) + ": the next sync sends it.");
            } else {
                String now = list.lookup(parked.operation().itemId())
                        .map(item -> ItemText.line(item, shortId, style))
                        .orElse(style.yellow(shortId) + " (removed)");
                output.out().println("Took the server's version: " + now);
            }
        }
        return ExitCodes.OK;
    }
}
