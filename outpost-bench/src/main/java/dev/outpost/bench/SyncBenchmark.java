package dev.outpost.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.QueryResult;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.client.sync.ConflictHandlers;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.protocol.sync.OperationKind;
import dev.outpost.protocol.sync.OperationResult;
import dev.outpost.protocol.sync.PushOperation;
import dev.outpost.protocol.sync.PushRequest;
import dev.outpost.protocol.sync.PushResponse;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The client SDK against a real server (issue 4): initial and incremental pull, batch push, local writes and local
 * queries, each compared where it applies with a hand-written loop that does the same work with no SDK.
 *
 * <p>Run it with the heap capped ({@code java -Xmx256m -jar outpost-bench.jar client}): the pull of 100,000 records
 * then completes only if it streams, and the peak heap the bench prints is measured under that cap.
 */
final class SyncBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 1000;
    /** Warm-up pushes of 10,000 before the measured one: on two cores both JITs need several to settle. */
    private static final int PUSH_WARMUPS = Integer.getInteger("outpost.bench.pushWarmups", 6);
    /** Measured pushes of 10,000; the median is the figure. */
    private static final int PUSH_ROUNDS = 5;

    private final BenchMain.Options options;

    SyncBenchmark(BenchMain.Options options) {
        this.options = options;
    }

    void run(BenchDatabase database) throws Exception {
        System.out.printf("%n== Client SDK against a server on %s (%,d todo records) ==%n", database.kind(),
                options.records);
        Path dir = Files.createTempDirectory("outpost-bench-client-");
        try (ServerProcess server = ServerProcess.start(database.url(), List.of())) {
            Http http = new Http(4);
            String base = server.baseUrl();
            seed(http, base, options.records);

            double loop = handWrittenLoop(http, base, dir.resolve("loop.db"));
            System.out.printf("hand-written loop (fetch 1,000, Jackson, SQLite upsert, prefetch): %,.0f records/s%n",
                    loop);

            OutpostClient client = OutpostClient.builder().baseUrl(base).protocol(Protocol.AUTO).build();
            try (SqliteLocalStore store = SqliteLocalStore.open(dir.resolve("client.db"));
                    SyncContext sync = client.newSyncContext(store, ConflictHandlers.serverWins())) {
                sync.defineTable(TableDefinition.builder("todoitem").withSystemColumns()
                        .column("text", ColumnType.STRING).column("complete", ColumnType.BOOLEAN).build());
                SyncTable<ObjectNode> todos = sync.getSyncTable("todoitem");

                System.gc();
                resetPeakHeap();
                long t0 = System.nanoTime();
                PullResult initial = todos.pull("all");
                double pullSeconds = (System.nanoTime() - t0) / 1e9;
                long peak = peakHeap();
                check(initial.upserted() == options.records, "initial pull upserted " + initial.upserted());
                double pullRate = options.records / pullSeconds;
                System.out.printf("initial pull into an empty store:  %,.0f records/s  (%,d in %.2f s, %d pages; "
                        + "%.2f of the loop)%n", pullRate, initial.upserted(), pullSeconds, initial.pages(),
                        pullRate / loop);
                System.out.printf("peak heap during the pull:         %.0f MiB (max heap %.0f MiB)%n",
                        peak / 1048576.0, Runtime.getRuntime().maxMemory() / 1048576.0);

                localQuery(todos);

                int rounds = 10;
                double[] ms = new double[rounds];
                for (int round = 0; round < rounds; round++) {
                    changeOnServer(http, base, 1000, round);
                    t0 = System.nanoTime();
                    PullResult incremental = todos.pull("all");
                    ms[round] = (System.nanoTime() - t0) / 1e6;
                    check(incremental.upserted() == 1000, "incremental pull upserted " + incremental.upserted());
                }
                Arrays.sort(ms);
                System.out.printf("incremental pull of 1,000 changed: median %.1f ms, max %.1f ms  (%d rounds of "
                        + "1,000 records spread over the table)%n", ms[rounds / 2], ms[rounds - 1], rounds);

                int writes = 10_000;
                // Warm-up (not measured): the same writes into another table, so that the JIT has compiled the write
                // path before the measured writes.
                sync.defineTable(TableDefinition.builder("warmup").withSystemColumns()
                        .column("text", ColumnType.STRING).column("complete", ColumnType.BOOLEAN).build());
                SyncTable<ObjectNode> warmup = sync.getSyncTable("warmup");
                localWrites(warmup, writes);
                // Push warm-up (not measured either): the warm-up writes are pushed, then more rounds of them, so that
                // both JITs have compiled the push path. The first round is printed: a push in a fresh JVM.
                for (int round = 0; round < PUSH_WARMUPS; round++) {
                    if (round > 0) {
                        localWrites(warmup, writes);
                    }
                    double rate = timedPush(sync, writes);
                    if (round == 0) {
                        System.out.printf("first push in this JVM (not warmed up): %,.0f operations/s  (%,d "
                                + "queued inserts in %.2f s)%n", rate, writes, writes / rate);
                    }
                }
                t0 = System.nanoTime();
                localWrites(todos, writes);
                double writeSeconds = (System.nanoTime() - t0) / 1e9;
                double plain = plainLocalWrites(dir.resolve("plain.db"), writes);
                System.out.printf("local writes (row + queue, each its own transaction): %,.0f writes/s  (%,d in "
                        + "%.2f s; %.2f of plain JDBC doing the same writes, %,.0f/s)%n", writes / writeSeconds, writes,
                        writeSeconds, writes / writeSeconds / plain, plain);

                // Measured pushes: the writes just measured, then more rounds of 10,000 queued inserts (written
                // unmeasured); the median and the range are printed, as one push on two shared cores varies a lot.
                double[] rates = new double[PUSH_ROUNDS];
                for (int round = 0; round < PUSH_ROUNDS; round++) {
                    if (round > 0) {
                        localWrites(todos, writes);
                    }
                    rates[round] = timedPush(sync, writes);
                }
                Arrays.sort(rates);
                System.out.printf("push of 10,000 queued inserts:     median %,.0f operations/s  (%d pushes after %d "
                        + "warm-up pushes; slowest %,.0f, fastest %,.0f)%n", rates[PUSH_ROUNDS / 2], PUSH_ROUNDS,
                        PUSH_WARMUPS, rates[0], rates[PUSH_ROUNDS - 1]);
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Pushes the queue, which must hold {@code queued} inserts, and returns the operations per second. */
    private static double timedPush(SyncContext sync, int queued) {
        long t0 = System.nanoTime();
        PushResult pushed = sync.push();
        double seconds = (System.nanoTime() - t0) / 1e9;
        check(pushed.pushed() == queued && pushed.isComplete(), "push: " + pushed);
        return queued / seconds;
    }

    private static void localWrites(SyncTable<ObjectNode> table, int writes) {
        for (int i = 0; i < writes; i++) {
            ObjectNode item = JSON.createObjectNode();
            item.put("text", "local " + i);
            item.put("complete", i % 3 == 0);
            table.insert(item);
        }
    }

    private void localQuery(SyncTable<ObjectNode> todos) {
        int runs = 2000;
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            QueryResult<ObjectNode> page = todos.query().where("complete eq false").orderBy("updatedAt").skip(i % 50)
                    .top(50).list();
            nanos[i] = System.nanoTime() - t0;
            check(page.items().size() == 50, "local query returned " + page.items().size());
        }
        long[] measured = Arrays.copyOfRange(nanos, runs / 2, runs);
        Arrays.sort(measured);
        System.out.printf("local query, 50 rows by filter of %,d: median %.2f ms, p99 %.2f ms%n", options.records,
                measured[measured.length / 2] / 1e6, measured[(int) (measured.length * 0.99)] / 1e6);
    }

    /** Inserts {@code count} todo records through the native batch push, 1,000 per request. */
    private static void seed(Http http, String base, int count) throws IOException {
        for (int start = 0; start < count; start += PAGE) {
            List<PushOperation> operations = new ArrayList<>();
            for (int i = start; i < Math.min(count, start + PAGE); i++) {
                String id = String.format("todo-%07d", i);
                operations.add(new PushOperation(UUID.randomUUID().toString(), "todoitem", OperationKind.INSERT,
                        id, null, JSON.createObjectNode().put("id", id).put("text", "todo " + i)
                                .put("complete", i % 2 == 0)));
            }
            push(http, base, operations);
        }
    }

    /** Updates {@code count} records spread over the table (shifted by {@code round}), through one native batch. */
    private void changeOnServer(Http http, String base, int count, int round) throws IOException {
        List<PushOperation> operations = new ArrayList<>();
        int step = options.records / count;
        for (int i = 0; i < count; i++) {
            String id = String.format("todo-%07d", i * step + round % step);
            operations.add(new PushOperation(UUID.randomUUID().toString(), "todoitem", OperationKind.UPDATE, id,
                    null, JSON.createObjectNode().put("text", "changed " + i + " in round " + round)
                            .put("complete", true)));
        }
        push(http, base, operations);
    }

    private static void push(Http http, String base, List<PushOperation> operations) throws IOException {
        byte[] answer = http.post(base + "/outpost/v1/push", new PushRequest(operations).toBytes(), 200);
        for (OperationResult result : PushResponse.read(answer).results()) {
            check(result.status() == OperationResult.Status.APPLIED, "push answered " + result);
        }
    }

    /**
     * The yardstick: what a competent developer writes by hand to mirror a table. Fetches pages of 1,000 from the
     * cursor endpoint over loopback, parses them with Jackson, upserts each page into SQLite in one transaction,
     * and fetches the next page while the current one is written. Returns records/s.
     */
    private double handWrittenLoop(Http http, String base, Path file) throws Exception {
        ExecutorService fetcher = Executors.newSingleThreadExecutor();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("CREATE TABLE todoitem (id TEXT PRIMARY KEY, text TEXT, complete INTEGER, createdAt TEXT, "
                        + "updatedAt TEXT, version TEXT, deleted INTEGER)");
                s.execute("CREATE INDEX todoitem_updated ON todoitem (updatedAt, id)");
            }
            db.setAutoCommit(false);
            long t0 = System.nanoTime();
            long records = 0;
            Future<byte[]> next = fetcher.submit(() -> http.get(base + "/outpost/v1/tables/todoitem/changes?limit="
                    + PAGE, "3.0.0"));
            try (PreparedStatement upsert = db.prepareStatement("INSERT OR REPLACE INTO todoitem (id, text, "
                    + "complete, createdAt, updatedAt, version, deleted) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                while (true) {
                    JsonNode page = JSON.readTree(next.get());
                    String cursor = page.get("cursor").asText();
                    boolean more = page.get("more").asBoolean();
                    if (more) {
                        next = fetcher.submit(() -> http.get(base + "/outpost/v1/tables/todoitem/changes?limit="
                                + PAGE + "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8), "3.0.0"));
                    }
                    for (JsonNode item : page.get("items")) {
                        upsert.setString(1, item.get("id").asText());
                        upsert.setString(2, item.get("text").asText());
                        upsert.setInt(3, item.get("complete").asBoolean() ? 1 : 0);
                        upsert.setString(4, item.get("createdAt").asText());
                        upsert.setString(5, item.get("updatedAt").asText());
                        upsert.setString(6, item.get("version").asText());
                        upsert.setInt(7, item.get("deleted").asBoolean() ? 1 : 0);
                        upsert.addBatch();
                        records++;
                    }
                    upsert.executeBatch();
                    db.commit();
                    if (!more) {
                        break;
                    }
                }
            }
            check(records == options.records, "loop read " + records);
            return records / ((System.nanoTime() - t0) / 1e9);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            fetcher.shutdown();
        }
    }

    /**
     * The yardstick for local writes: what the store does for one insert, by hand with plain JDBC and no SDK, on a
     * store of {@code records} rows. The same file settings (WAL, synchronous=NORMAL, exclusive locking) and the
     * same tables and indexes: a todo row and its queue row (time-ordered ids, a sequence), each pair in its own
     * transaction. Returns writes/s.
     */
    private double plainLocalWrites(Path file, int writes) throws SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=NORMAL");
                s.execute("PRAGMA locking_mode=EXCLUSIVE");
                s.execute("CREATE TABLE todoitem (id TEXT PRIMARY KEY NOT NULL, text TEXT, complete BOOLEAN, "
                        + "createdAt TEXT, updatedAt TEXT, version TEXT, deleted BOOLEAN, extras TEXT) WITHOUT ROWID");
                s.execute("CREATE INDEX todoitem_updated ON todoitem (updatedAt, id)");
                s.execute("CREATE TABLE ops (id TEXT PRIMARY KEY NOT NULL, sequence INTEGER, tableName TEXT, "
                        + "itemId TEXT, kind TEXT, state TEXT, revision INTEGER, attempts INTEGER, queuedAt TEXT) "
                        + "WITHOUT ROWID");
                s.execute("CREATE INDEX ops_item ON ops (tableName, itemId)");
                s.execute("CREATE INDEX ops_sequence ON ops (sequence, id)");
            }
            try (PreparedStatement seed = db.prepareStatement("INSERT INTO todoitem (id, text, complete, updatedAt) "
                    + "VALUES (?, ?, 0, ?)")) {
                db.setAutoCommit(false);
                for (int i = 0; i < options.records; i++) {
                    seed.setString(1, String.format("todo-%07d", i));
                    seed.setString(2, "todo " + i);
                    seed.setString(3, String.format("2026-11-25T00:00:%02d.%03dZ", i / 1000 % 60, i % 1000));
                    seed.addBatch();
                }
                seed.executeBatch();
                db.commit();
                db.setAutoCommit(true);
            }
            TimeBasedEpochGenerator ids = Generators.timeBasedEpochGenerator();
            try (PreparedStatement begin = db.prepareStatement("BEGIN IMMEDIATE");
                 PreparedStatement commit = db.prepareStatement("COMMIT");
                 PreparedStatement row = db.prepareStatement("INSERT INTO todoitem (id, text, complete) "
                         + "VALUES (?, ?, ?)");
                 PreparedStatement op = db.prepareStatement("INSERT INTO ops (id, sequence, tableName, itemId, "
                         + "kind, state, revision, attempts, queuedAt) VALUES (?, ?, 'todoitem', ?, 'insert', "
                         + "'PENDING', 1, 0, ?)")) {
                long t0 = 0;
                // The first half of the loop warms up (not measured), as the SDK's writes do.
                for (int i = -writes; i < writes; i++) {
                    if (i == 0) {
                        t0 = System.nanoTime();
                    }
                    String id = ids.generate().toString();
                    begin.execute();
                    row.setString(1, id);
                    row.setString(2, "local " + i);
                    row.setBoolean(3, i % 3 == 0);
                    row.executeUpdate();
                    op.setString(1, ids.generate().toString());
                    op.setLong(2, i + writes + 1);
                    op.setString(3, id);
                    op.setString(4, Instant.now().toString());
                    op.executeUpdate();
                    commit.execute();
                }
                return writes / ((System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private static void resetPeakHeap() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        return peak;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("benchmark check failed: " + message);
        }
    }
}
