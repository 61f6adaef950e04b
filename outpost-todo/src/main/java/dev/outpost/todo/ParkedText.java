package dev.outpost.todo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.sync.OperationKind;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.SystemColumns;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/**
 * How a parked change reads: on screen, mine and the server's side by side; in JSON, both records. Shared by
 * {@code conflicts} and {@code status}. Stateless.
 */
final class ParkedText {
    private ParkedText() {
    }

    /** What happened, in a few words: "both sides changed it (412)", "refused by the server (400: …)". */
    static String why(TodoList.Parked parked) {
        PendingOperation op = parked.operation();
        Integer status = op.httpStatus();
        if (parked.isConflict()) {
            if (parked.server() != null && parked.server().path(SystemColumns.DELETED).asBoolean(false)) {
                return "removed on the server, changed here (" + status + ")";
            }
            if (op.kind() == OperationKind.DELETE) {
                return "removed here, changed on the server (" + status + ")";
            }
            return "changed here and on the server (" + status + ")";
        }
        String detail = op.error() != null ? op.error().error() : op.reason();
        if (status != null && (status >= 500 || status == 408 || status == 429)) {
            return "server failure (" + status + "), tried again by the next sync";
        }
        return "refused by the server (" + (status == null ? "" : status + ": ") + detail + ")";
    }

    /** Prints one parked change: its id and why, then mine and the server's side by side. */
    static void print(TodoList.Parked parked, String shortId, Output output) {
        Style style = output.style();
        output.out().println("  " + style.yellow(shortId) + "  " + style.bold(why(parked)));
        ObjectNode server = parked.server();
        boolean serverGone = server == null || server.path(SystemColumns.DELETED).asBoolean(false);
        TodoItem mine = parked.mine();
        Columns columns = new Columns();
        columns.row(List.of(Columns.Cell.plain(""), new Columns.Cell("mine", style::bold),
                new Columns.Cell("server's", style::bold)));
        columns.row("text", mine == null ? "(removed)" : mine.text(),
                serverGone ? "(removed)" : server.path("text").asText(""));
        columns.row("done", mine == null ? "" : yesNo(mine.complete()),
                serverGone ? "" : yesNo(server.path("complete").asBoolean(false)));
        Instant serverChanged = server == null ? null : instant(server.get(SystemColumns.UPDATED_AT));
        columns.row("changed", "not synced", serverChanged == null ? "" : output.ago(serverChanged));
        columns.print(output.out(), "      ");
    }

    /** A parked change as JSON: id, change, status, why, and both records ({@code null} when there is none). */
    static ObjectNode json(TodoList.Parked parked) {
        PendingOperation op = parked.operation();
        ObjectNode node = Json.object();
        node.put("id", op.itemId());
        node.put("change", op.kind().wireName());
        node.put("conflict", parked.isConflict());
        if (op.httpStatus() == null) {
            node.putNull("status");
        } else {
            node.put("status", op.httpStatus());
        }
        node.put("why", why(parked));
        if (parked.mine() == null) {
            node.putNull("mine");
        } else {
            node.set("mine", Json.item(parked.mine()));
        }
        ObjectNode server = parked.server();
        if (server == null) {
            node.putNull("server");
        } else {
            ObjectNode theirs = Json.object();
            theirs.put("id", server.path("id").asText(op.itemId()));
            theirs.put("text", server.path("text").asText(null));
            theirs.put("complete", server.path("complete").asBoolean(false));
            theirs.put("deleted", server.path(SystemColumns.DELETED).asBoolean(false));
            theirs.put("updatedAt", server.path(SystemColumns.UPDATED_AT).asText(null));
            node.set("server", theirs);
        }
        return node;
    }

    /** The short ids of the parked changes' items. */
    static Map<String, String> shortIds(List<TodoList.Parked> parked) {
        return ShortIds.of(parked.stream().map(p -> p.operation().itemId()).toList());
    }

    private static String yesNo(boolean done) {
        return done ? ItemText.DONE + " yes" : "no";
    }

    private static Instant instant(JsonNode node) {
        if (node == null || !node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
