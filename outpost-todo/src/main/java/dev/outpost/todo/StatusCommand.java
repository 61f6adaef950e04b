package dev.outpost.todo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.Tokens;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.sync.OperationKind;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo status}: server, store, changes waiting to be sent, conflicts, last sync. Local only. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {
            "Show the server, the changes waiting for the next sync, the conflicts and the last sync.",
            "",
            "The changes waiting are counted by kind (added, edited, removed). Local only: it does not contact the "
                    + "server.",
            "",
        })
final class StatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @ParentCommand
    TodoApp app;

    @Option(names = "--json", description = "Print it as JSON instead: server, store, settings, items {open, "
            + "done}, pending {insert, update, delete}, conflicts (as `conflicts --json`), lastSync.")
    boolean json;

    @Override
    public Integer call() {
        Output output = app.output(json);
        TodoConfig config = app.config();
        try (TodoList list = TodoList.open(app.storeFile(), config, dev.outpost.client.sync.SyncListener.NONE)) {
            List<TodoItem> items = list.items();
            long done = items.stream().filter(TodoItem::complete).count();
            Map<OperationKind, Integer> pending = new EnumMap<>(OperationKind.class);
            for (OperationKind kind : OperationKind.values()) {
                pending.put(kind, 0);
            }
            for (PendingOperation op : list.pending()) {
                if (!op.isParked()) {
                    pending.merge(op.kind(), 1, Integer::sum);
                }
            }
            List<TodoList.Parked> parked = list.parked();
            Optional<Instant> lastSync = config.lastSync();
            if (json) {
                ObjectNode node = Json.object();
                node.put("server", config.server());
                node.put("protocol", config.get(TodoConfig.PROTOCOL));
                node.put("store", list.file().toString());
                node.put("settings", config.file().toString());
                node.put("user", config.token().flatMap(Tokens::subject).orElse(null));
                node.put("owner", list.owner().orElse(null));
                ObjectNode counts = node.putObject("items");
                counts.put("open", items.size() - done);
                counts.put("done", done);
                ObjectNode kinds = node.putObject("pending");
                pending.forEach((kind, n) -> kinds.put(kind.wireName(), n));
                ArrayNode conflicts = node.putArray("conflicts");
                parked.forEach(p -> conflicts.add(ParkedText.json(p)));
                if (lastSync.isPresent()) {
                    node.put("lastSync", lastSync.get().toString());
                } else {
                    node.putNull("lastSync");
                }
                Json.print(output.out(), node);
                return ExitCodes.OK;
            }
            Style style = output.style();
            int waiting = pending.values().stream().mapToInt(Integer::intValue).sum();
            Columns columns = new Columns();
            columns.row("Server", config.server() + protocolNote(config));
            columns.row("User", user(config, list));
            columns.row("Store", list.file() + " (" + ItemText.count(items.size(), "item", "items") + ": "
                    + (items.size() - done) + " open, " + done + " done)");
            columns.row(List.of(Columns.Cell.plain("Not synced"), new Columns.Cell(waiting == 0 ? "nothing"
                    : ItemText.count(waiting, "change", "changes") + ": " + pending.get(OperationKind.INSERT)
                    + " added, " + pending.get(OperationKind.UPDATE) + " edited, "
                    + pending.get(OperationKind.DELETE) + " removed", waiting == 0 ? s -> s : style::yellow)));
            columns.row(List.of(Columns.Cell.plain("Conflicts"), new Columns.Cell(parked.isEmpty() ? "none"
                    : parked.size() + ": see ./outpost todo conflicts", parked.isEmpty() ? s -> s : style::red)));
            columns.row("Last sync", lastSync.map(when -> output.ago(when) + " (" + WHEN.format(
                    when.atZone(zone(output))) + ")").orElse("never"));
            columns.print(output.out(), "");
        }
        return ExitCodes.OK;
    }

    private static String protocolNote(TodoConfig config) {
        String protocol = config.get(TodoConfig.PROTOCOL);
        return protocol.equals("auto") ? "" : " (protocol " + protocol + ")";
    }

    private static ZoneId zone(Output output) {
        return output.clock().getZone();
    }

    /** Who is signed in, and whose list the store holds when that is someone else. */
    private static String user(TodoConfig config, TodoList list) {
        String user = config.token().map(token -> Tokens.subject(token)
                .orElse("(a token without a user)")).orElse("not logged in");
        String owner = list.owner().orElse(null);
        return owner == null || owner.equals(user) ? user : user + " (this list belongs to " + owner + ")";
    }
}
