package dev.outpost.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.sync.ConflictHandlers;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A client app in a JVM of its own, for the crash tests: it makes local writes to its own records of
 * {@code todoitem} and pushes, until it is killed. Each local write is acknowledged on standard output once it is
 * committed ({@code ACK PUT <id> <text>} or {@code ACK DEL <id>}), and announced before it starts
 * ({@code BEGIN <id>}), so that the process that kills it knows which writes the app was told were made, and which
 * one record may have been written without being acknowledged. A push failure (the server is down, say) is
 * printed and the work goes on.
 *
 * <p>Arguments: {@code <store file> <server URL> <id prefix> <writes> <seed>}. The writes insert new records (ids
 * start with the prefix and are never reused), and edit and delete the worker's records the store holds (at most
 * twenty), so that kills land in every kind of change.
 */
final class ClientWorker {
    /** The records a worker writes to. */
    static final int RECORDS = 20;

    private ClientWorker() {
    }

    public static void main(String[] args) {
        Path file = Path.of(args[0]);
        String url = args[1];
        String prefix = args[2];
        int writes = Integer.parseInt(args[3]);
        java.util.Random random = new java.util.Random(Long.parseLong(args[4]));
        PrintStream out = System.out;
        OutpostClient client = OutpostClient.builder().baseUrl(url).build();
        try (SyncContext sync = client.newSyncContext(SqliteLocalStore.open(file), ConflictHandlers.serverWins())) {
            SyncTable<ObjectNode> todos = sync.getSyncTable("todoitem");
            out.println("OPEN");
            out.flush();
            String run = Long.toString(ProcessHandle.current().pid(), 36)
                    + Long.toString(System.currentTimeMillis() % 1_000_000, 36);
            for (int i = 0; i < writes; i++) {
                List<String> mine = new ArrayList<>();
                for (ObjectNode row : todos.query().top(10_000).list().items()) {
                    if (row.get("id").asText().startsWith(prefix)) {
                        mine.add(row.get("id").asText());
                    }
                }
                int roll = random.nextInt(100);
                if (mine.size() < RECORDS && (mine.isEmpty() || roll < 40)) {
                    // A new record: ids are never reused, as an app's generated ids are not.
                    String id = prefix + run + "-" + i;
                    out.println("BEGIN " + id);
                    out.flush();
                    String text = id + " write " + i;
                    todos.insert(JsonNodeFactory.instance.objectNode().put("id", id).put("text", text)
                            .put("complete", random.nextBoolean()));
                    out.println("ACK PUT " + id + " " + text);
                } else if (roll < 85) {
                    String id = mine.get(random.nextInt(mine.size()));
                    out.println("BEGIN " + id);
                    out.flush();
                    String text = id + " write " + i + " of " + run;
                    todos.update(JsonNodeFactory.instance.objectNode().put("id", id).put("text", text)
                            .put("complete", random.nextBoolean()));
                    out.println("ACK PUT " + id + " " + text);
                } else {
                    String id = mine.get(random.nextInt(mine.size()));
                    out.println("BEGIN " + id);
                    out.flush();
                    todos.deleteById(id);
                    out.println("ACK DEL " + id);
                }
                out.flush();
                if (i % 4 == 3) {
                    push(sync, out);
                }
            }
            push(sync, out);
            out.println("DONE");
            out.flush();
        }
    }

    private static void push(SyncContext sync, PrintStream out) {
        try {
            sync.push();
            out.println("PUSHED");
        } catch (RuntimeException e) {
            out.println("PUSH FAILED " + e.getClass().getSimpleName());
        }
        out.flush();
    }
}
