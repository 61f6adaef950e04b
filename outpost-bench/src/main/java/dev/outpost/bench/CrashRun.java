package dev.outpost.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.sync.ConflictHandlers;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.sync.OperationKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Crash safety of the local store (invariant 1): a {@link ClientWorker} making local writes and pushing is killed
 * {@code -9} at a random moment, again and again, on one store file. After each kill the store must open; every
 * queued insert or update has its row and every queued delete has none; every row without a queued operation is
 * the server's record (same version and text); and every write the worker acknowledged is there (but the one it
 * had begun and not acknowledged, which may or may not be). After the last kill a final push and pull must leave
 * store and server equal.
 */
final class CrashRun {
    /** What a run found. */
    record Report(long seed, int kills, int writesAcknowledged, int queuedAtKills, List<String> violations) {
        boolean ok() {
            return violations.isEmpty();
        }
    }

    private final String serverUrl;
    private final Path dir;
    private final long seed;
    private final PrintStream log;

    /**
     * @param dir where the stores are made (one per lane)
     */
    CrashRun(String serverUrl, Path dir, long seed, PrintStream log) {
        this.serverUrl = serverUrl;
        this.dir = dir;
        this.seed = seed;
        this.log = log;
    }

    /** One store killed again and again, with what its apps acknowledged so far. */
    private final class Lane {
        final Path store;
        final String prefix;
        final Random random;
        final Map<String, String> expected = new HashMap<>();
        final List<String> violations = new ArrayList<>();
        int acknowledged;
        int queued;
        int killed;

        Lane(int number) {
            this.store = dir.resolve("app-" + number + ".db");
            this.prefix = "crash-" + Long.toHexString(seed) + "-" + number + "-";
            this.random = new Random(seed * 31 + number);
        }

        void run(int kills) throws InterruptedException {
            for (int kill = 1; kill <= kills && violations.size() < 20; kill++) {
                String when = "store " + store.getFileName() + ", kill " + kill;
                WorkerProcess worker = WorkerProcess.start(store, serverUrl, prefix, 400, random.nextLong());
                if (!worker.awaitOpened()) {
                    worker.kill();
                    violations.add(when + ": the store did not open: " + worker.output());
                    break;
                }
                // Somewhere in its first 80 lines (a line per write begun, acknowledged or pushed), then a little
                // later: kills land before, inside and after local writes and pushes.
                worker.awaitProgress(random.nextInt(80));
                Thread.sleep(random.nextInt(15));
                worker.kill();
                killed++;
                Map<String, String> acks = worker.acknowledged();
                acknowledged += acks.size();
                String inDoubt = worker.inDoubt();
                acks.forEach((id, text) -> {
                    if (!id.equals(inDoubt)) {
                        expected.put(id, text);
                    }
                });
                if (inDoubt != null) {
                    expected.remove(inDoubt);
                }
                int before = violations.size();
                queued += check(when, store, expected, violations);
                if (violations.size() > before) {
                    violations.add(when + ": the app's last output:\n" + worker.output());
                }
            }
            finalSync(store, prefix, expected, violations);
        }
    }

    /** Kills apps {@code kills} times in all, on {@code lanes} stores at once (each its own app and records). */
    Report run(int kills, int lanes) throws InterruptedException {
        List<Lane> all = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < lanes; i++) {
            Lane lane = new Lane(i + 1);
            int share = kills / lanes + (i < kills % lanes ? 1 : 0);
            all.add(lane);
            Thread thread = new Thread(() -> {
                try {
                    lane.run(share);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    lane.violations.add("interrupted");
                } catch (RuntimeException e) {
                    lane.violations.add("the run failed: " + e);
                }
            }, "crash-lane-" + (i + 1));
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        List<String> violations = new ArrayList<>();
        all.forEach(lane -> violations.addAll(lane.violations));
        Report report = new Report(seed, all.stream().mapToInt(l -> l.killed).sum(),
                all.stream().mapToInt(l -> l.acknowledged).sum(), all.stream().mapToInt(l -> l.queued).sum(),
                violations);
        log.printf("crash run seed %d: %d kills on %d stores, %d writes acknowledged, %d operations queued at the"
                + " kills, %d violations%n", seed, report.kills(), lanes, report.writesAcknowledged(),
                report.queuedAtKills(), violations.size());
        violations.forEach(v -> log.println("  " + v));
        return report;
    }

    /** The checks after one kill; returns how many operations were queued. */
    private int check(String when, Path store, Map<String, String> expected, List<String> violations) {
        OutpostClient client = OutpostClient.builder().baseUrl(serverUrl).build();
        try (SyncContext sync = client.newSyncContext(SqliteLocalStore.open(store), ConflictHandlers.serverWins())) {
            SyncTable<ObjectNode> todos = sync.getSyncTable("todoitem");
            Map<String, ObjectNode> rows = new HashMap<>();
            for (ObjectNode row : todos.query().top(10_000).list().items()) {
                rows.put(row.get("id").asText(), row);
            }
            Map<String, PendingOperation> operations = new HashMap<>();
            for (PendingOperation op : sync.pendingOperations()) {
                operations.put(op.itemId(), op);
                boolean hasRow = rows.containsKey(op.itemId());
                if (op.kind() == OperationKind.DELETE && hasRow) {
                    violations.add(when + ": a queued delete of " + op.itemId() + " but its row is still there");
                } else if (op.kind() != OperationKind.DELETE && !hasRow) {
                    violations.add(when + ": a queued " + op.kind() + " of " + op.itemId() + " without its row");
                }
            }
            Map<String, ObjectNode> serverRecords = serverRecords(client);
            for (ObjectNode row : rows.values()) {
                String id = row.get("id").asText();
                if (operations.containsKey(id)) {
                    continue;
                }
                ObjectNode server = serverRecords.get(id);
                if (server == null || !Objects.equals(server.path("version").asText(null),
                        row.path("version").asText(null))
                        || !Objects.equals(server.path("text").asText(null), row.path("text").asText(null))) {
                    violations.add(when + ": row " + id + " differs from the server's record and has no queued"
                            + " operation: local " + row + ", server " + server);
                }
            }
            expected.forEach((id, text) -> {
                ObjectNode row = rows.get(id);
                String local = row == null ? null : row.path("text").asText(null);
                if (!Objects.equals(local, text)) {
                    violations.add(when + ": the acknowledged write of " + id + " (" + text + ") is lost; the store"
                            + " has " + local);
                }
            });
            return operations.size();
        } catch (RuntimeException e) {
            violations.add(when + ": the store could not be checked: " + e);
            return 0;
        }
    }

    /** The server's live records, by id. */
    private static Map<String, ObjectNode> serverRecords(OutpostClient client) {
        Map<String, ObjectNode> records = new HashMap<>();
        while (true) {
            List<ObjectNode> page = client.getTable("todoitem").query().orderBy("id").skip(records.size()).top(1000)
                    .list().items();
            if (page.isEmpty()) {
                return records;
            }
            page.forEach(record -> records.put(record.get("id").asText(), record));
        }
    }

    /** A final push and pull: then every acknowledged write is on the server and store and server agree. */
    private void finalSync(Path store, String prefix, Map<String, String> expected, List<String> violations) {
        OutpostClient client = OutpostClient.builder().baseUrl(serverUrl).build();
        try (SyncContext sync = client.newSyncContext(SqliteLocalStore.open(store), ConflictHandlers.serverWins())) {
            SyncTable<ObjectNode> todos = sync.getSyncTable("todoitem");
            sync.push();
            todos.pull("all");
            if (!sync.pendingOperations().isEmpty()) {
                violations.add(store.getFileName() + " after the final push: " + sync.pendingOperations().size()
                        + " operations queued");
            }
            Map<String, String> local = new HashMap<>();
            for (ObjectNode row : todos.query().top(10_000).list().items()) {
                if (row.get("id").asText().startsWith(prefix)) {
                    local.put(row.get("id").asText(), row.path("text").asText(null));
                }
            }
            Map<String, String> server = new HashMap<>();
            serverRecords(client).forEach((id, record) -> {
                if (id.startsWith(prefix)) {
                    server.put(id, record.path("text").asText(null));
                }
            });
            if (!local.equals(server)) {
                violations.add("after the final push and pull, store and server differ: store " + local
                        + ", server " + server);
            }
            expected.forEach((id, text) -> {
                if (!Objects.equals(server.get(id), text)) {
                    violations.add("the acknowledged write of " + id + " (" + text + ") did not reach the server,"
                            + " which has " + server.get(id));
                }
            });
        } catch (RuntimeException e) {
            violations.add("the final sync failed: " + e);
        }
    }
}
