package dev.outpost.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.ConflictHandlers;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.testing.ChaosProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The convergence run: several client apps with real SQLite stores sync with a real server (a child process, on
 * SQLite or PostgreSQL) through the {@link ChaosProxy}, while the run injects faults (documented in
 * {@code docs/FAULTS.md}), then heals, drains and checks. Seeded: the seed decides every step, fault and conflict
 * resolution; timings (when a kill lands) vary between runs of one seed.
 *
 * <p>Each client owns records only it writes ({@code c1-7}) and shares five records every client edits
 * ({@code shared-0} … {@code shared-4}). After the heal every client resolves what is parked, pushes and pulls until
 * nothing moves, and the run counts:
 *
 * <ul>
 *   <li><b>false conflicts</b>: a conflict on an owned record (only a lost answer not recognised can cause one);</li>
 *   <li><b>lost</b>: an owned record whose last acknowledged local write is not what the server has (a record only
 *       its owner writes can have no conflict, so nothing may overwrite it);</li>
 *   <li><b>diverged</b>: records on which a client's table differs from the server's (text, done, version);</li>
 *   <li><b>duplicated</b>: a write's text stored under two records;</li>
 *   <li><b>stuck</b>: operations still queued after the drain;</li>
 *   <li><b>wrongly parked</b>: an operation parked for anything but a conflict on a shared record.</li>
 * </ul>
 */
final class Soak {
    /** The faults, and how many of each a run injected. */
    enum Fault {
        /** The request reaches the server; its answer is lost. */
        LOST_RESPONSE,
        /** Connections are refused during the sync. */
        REFUSED,
        /** The answer starts, then the connection is reset. */
        RESET_MID_RESPONSE,
        /** Every chunk is delayed. */
        DELAYED,
        /** The server is killed -9 during a client's sync and restarted on the same database. */
        SERVER_KILLED,
        /** A client app is killed -9 while it writes and pushes (in a JVM of its own). */
        CLIENT_KILLED
    }

    /** A run's settings. */
    record Config(long seed, int steps, int clients, BenchDatabase database, Path dir) {
    }

    /** What a run found. */
    record Report(long seed, String database, int steps, int clients, Map<Fault, Integer> faults, int conflicts,
            int parked, int falseConflicts, int lost, int diverged, int duplicated, int stuck, int wronglyParked,
            List<String> problems, Duration elapsed) {
        boolean ok() {
            return falseConflicts == 0 && lost == 0 && diverged == 0 && duplicated == 0 && stuck == 0
                    && wronglyParked == 0 && problems.isEmpty();
        }

        String summary() {
            return String.format("soak seed %d on %s: %d steps, %d clients, faults %s, %d conflicts met, %d parked"
                    + " | false conflicts %d, lost %d, diverged %d, duplicated %d, stuck %d, wrongly parked %d%s"
                    + " (%.1f s)", seed, database, steps, clients, faults, conflicts, parked, falseConflicts, lost,
                    diverged, duplicated, stuck, wronglyParked, problems.isEmpty() ? "" : ", problems: " + problems,
                    elapsed.toMillis() / 1000.0);
        }
    }

    private static final int SHARED = 5;
    private static final List<String> HANDLERS = List.of("serverWins", "clientWins", "threeWayMerge", "park");

    private final Config config;
    private final PrintStream log;
    private final Random random;
    private final Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    private final List<String> problems = new ArrayList<>();
    private final List<Device> devices = new ArrayList<>();
    private final SoakModel model = new SoakModel();
    private ServerProcess server;
    private ChaosProxy proxy;
    private int conflicts;
    private int parkedCount;
    private int wronglyParked;
    private int falseConflicts;
    private final Set<String> parkedSeen = new HashSet<>();

    Soak(Config config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.random = new Random(config.seed());
    }

    /** One client app: its store, its sync context, its own records. */
    private final class Device {
        final int number;
        final Path store;
        final Random decisions;
        SyncContext sync;
        SyncTable<ObjectNode> todos;
        int nextItem;

        Device(int number) {
            this.number = number;
            this.store = config.dir().resolve("client-" + number + ".db");
            this.decisions = new Random(config.seed() * 31 + number);
        }

        void open() {
            OutpostClient client = OutpostClient.builder().baseUrl(proxy.url()).connectTimeout(Duration.ofSeconds(2))
                    .readTimeout(Duration.ofSeconds(10)).build();
            sync = client.newSyncContext(SqliteLocalStore.open(store), this::decide);
            todos = sync.getSyncTable("todoitem");
        }

        void close() {
            sync.close();
        }

        /** The conflict handler: a random one of the four policies per conflict. */
        private ConflictResolution decide(dev.outpost.client.sync.Conflict conflict) {
            conflicts++;
            if (!conflict.itemId().startsWith("shared-")) {
                // Only its owner writes this record: a conflict on it is a lost answer not recognised.
                falseConflicts++;
                problems.add("c" + number + " met a conflict (" + conflict.httpStatus() + ") on its own record "
                        + conflict.itemId() + ": server " + conflict.serverRecord() + ", client "
                        + conflict.clientRecord());
            }
            ConflictHandler handler = switch (HANDLERS.get(decisions.nextInt(HANDLERS.size()))) {
                case "serverWins" -> ConflictHandlers.serverWins();
                case "clientWins" -> ConflictHandlers.clientWins();
                case "threeWayMerge" -> ConflictHandlers.threeWayMerge();
                default -> ConflictHandlers.park();
            };
            return handler.resolve(conflict);
        }

        String prefix() {
            return "c" + number + "-";
        }
    }

    Report run() throws Exception {
        long started = System.nanoTime();
        log.printf("soak seed %d on %s: %d steps, %d clients (rerun alone with --seed %d)%n", config.seed(),
                config.database().kind(), config.steps(), config.clients(), config.seed());
        server = ServerProcess.start(config.database().url(), List.of());
        proxy = ChaosProxy.start("127.0.0.1", server.address().getPort());
        try {
            for (int i = 1; i <= config.clients(); i++) {
                Device device = new Device(i);
                device.open();
                devices.add(device);
            }
            seedSharedRecords();
            for (int step = 0; step < config.steps(); step++) {
                step(devices.get(random.nextInt(devices.size())));
            }
            healAndDrain();
            return check(Duration.ofNanos(System.nanoTime() - started));
        } finally {
            for (Device device : devices) {
                try {
                    device.close();
                } catch (RuntimeException e) {
                    // Closing after a failure: the report already says what went wrong.
                }
            }
            proxy.close();
            server.close();
        }
    }

    private void seedSharedRecords() {
        Device first = devices.get(0);
        for (int i = 0; i < SHARED; i++) {
            first.todos.insert(record("shared-" + i, "shared-" + i + " created", false));
        }
        first.sync.push();
        for (Device device : devices) {
            try {
                device.todos.pull("all");
            } catch (NetworkException e) {
                device.todos.pull("all");
            }
        }
    }

    private static ObjectNode record(String id, String text, boolean done) {
        return SoakModel.record(id, text, done);
    }

    private void step(Device device) throws Exception {
        int roll = random.nextInt(100);
        if (roll < 25) {
            String id = device.prefix() + device.nextItem++;
            ObjectNode record = record(id, id + " added", false);
            device.todos.insert(record);
            model.wrote(record);
        } else if (roll < 40) {
            editOwned(device, false);
        } else if (roll < 45) {
            editOwned(device, true);
        } else if (roll < 50) {
            String id = pickOwned(device);
            if (id != null) {
                device.todos.deleteById(id);
                model.deleted(id);
            }
        } else if (roll < 68) {
            String id = "shared-" + random.nextInt(SHARED);
            String text = id + " by c" + device.number + " #" + random.nextInt(1000);
            ObjectNode current = device.todos.lookup(id).orElse(null);
            if (current != null) {
                device.todos.update(record(id, text, current.path("complete").asBoolean()));
            }
        } else if (roll < 70) {
            String id = "shared-" + random.nextInt(SHARED);
            if (device.todos.lookup(id).isPresent()) {
                device.todos.deleteById(id);
            }
        } else if (roll < 74) {
            resolveParked(device, false);
        } else if (roll < 98) {
            syncWithFault(device);
        } else {
            killClientMidPush(device);
        }
    }

    private String pickOwned(Device device) {
        List<String> mine = model.live(device.prefix());
        return mine.isEmpty() ? null : mine.get(random.nextInt(mine.size()));
    }

    private void editOwned(Device device, boolean toggle) {
        String id = pickOwned(device);
        if (id == null || device.todos.lookup(id).isEmpty()) {
            return;
        }
        ObjectNode was = model.last(id);
        ObjectNode record = toggle ? record(id, was.get("text").asText(), !was.get("complete").asBoolean())
                : record(id, id + " edited " + random.nextInt(1_000_000), was.get("complete").asBoolean());
        device.todos.update(record);
        model.wrote(record);
    }

    private void resolveParked(Device device, boolean finalRound) {
        for (PendingOperation op : device.sync.parkedOperations()) {
            ConflictResolution resolution;
            int pick = finalRound ? 0 : random.nextInt(4);
            if (pick == 0) {
                resolution = ConflictResolution.takeServer();
            } else if (pick == 1) {
                resolution = ConflictResolution.keepClient();
            } else if (pick == 2 && op.serverRecord() != null) {
                ObjectNode merged = op.serverRecord().deepCopy();
                merged.put("text", merged.path("text").asText() + " + merged by c" + device.number);
                resolution = ConflictResolution.merge(merged);
            } else {
                resolution = ConflictResolution.discard();
            }
            try {
                device.sync.resolve(op, resolution);
            } catch (IllegalStateException e) {
                // It changed since it was listed: the next round sees it again.
            }
        }
    }

    /** A push and a pull of one client, with one fault (or none) injected. */
    private void syncWithFault(Device device) throws Exception {
        int roll = random.nextInt(100);
        Fault fault = roll < 40 ? null : roll < 55 ? Fault.LOST_RESPONSE : roll < 65 ? Fault.REFUSED
                : roll < 80 ? Fault.RESET_MID_RESPONSE : roll < 92 ? Fault.DELAYED : Fault.SERVER_KILLED;
        if (fault != null) {
            faults.merge(fault, 1, Integer::sum);
        }
        switch (fault == null ? Fault.DELAYED : fault) {
            case LOST_RESPONSE -> proxy.loseNextResponses(1 + random.nextInt(2));
            case REFUSED -> proxy.refuseConnections(true);
            case RESET_MID_RESPONSE -> proxy.resetNextResponses(1);
            case DELAYED -> proxy.delay(fault == null ? 0 : 20 + random.nextInt(80));
            default -> {
            }
        }
        if (fault == Fault.SERVER_KILLED) {
            long delay = random.nextInt(60);
            CompletableFuture<Void> sync = CompletableFuture.runAsync(() -> syncQuietly(device));
            Thread.sleep(delay);
            server.kill();
            try {
                sync.get(60, TimeUnit.SECONDS);
            } finally {
                server = server.restart();
            }
        } else {
            syncQuietly(device);
        }
        // A fault the sync did not meet (it sent nothing) must not hit the next one unannounced.
        proxy.heal();
        recordParked(device);
    }

    private void syncQuietly(Device device) {
        try {
            device.sync.push();
            device.todos.pull("all");
        } catch (RuntimeException e) {
            // The fault stopped it: the queue stays, the next sync goes on.
        }
    }

    /** Counts what is parked and whether it is a real conflict (on a shared record, for a conflict status). */
    private void recordParked(Device device) {
        for (PendingOperation op : device.sync.parkedOperations()) {
            if (!parkedSeen.add(op.id())) {
                continue;
            }
            parkedCount++;
            Integer status = op.httpStatus();
            boolean conflict = status != null && Set.of(404, 409, 410, 412).contains(status);
            if (!op.itemId().startsWith("shared-") || !conflict) {
                wronglyParked++;
                problems.add("c" + device.number + " parked " + op.kind() + " of " + op.itemId() + " with "
                        + status + ": " + op.reason());
            }
        }
    }

    /** Closes the client's context, runs the app in a JVM of its own and kills it while it writes and pushes. */
    private void killClientMidPush(Device device) throws Exception {
        faults.merge(Fault.CLIENT_KILLED, 1, Integer::sum);
        device.close();
        String prefix = device.prefix() + "w";
        WorkerProcess worker = WorkerProcess.start(device.store, proxy.url(), prefix, 60, random.nextLong());
        if (worker.awaitOpened()) {
            Thread.sleep(50 + random.nextInt(400));
        }
        worker.kill();
        model.killedAppAcknowledged(worker.acknowledged(), worker.inDoubt());
        device.open();
    }

    private void healAndDrain() {
        proxy.heal();
        for (int round = 0; round < 8; round++) {
            boolean finalRounds = round >= 2;
            boolean moved = false;
            for (Device device : devices) {
                recordParked(device);
                resolveParked(device, finalRounds);
                try {
                    moved |= device.sync.push().pushed() > 0;
                    device.todos.pull("all");
                } catch (NetworkException e) {
                    // A connection the faults broke, still in the client's pool: the next round syncs again.
                    moved = true;
                }
            }
            boolean empty = devices.stream().allMatch(d -> d.sync.pendingOperations().isEmpty());
            if (empty && !moved) {
                break;
            }
        }
        for (Device device : devices) {
            try {
                device.todos.pull("all");
            } catch (NetworkException e) {
                device.todos.pull("all");
            }
        }
    }

    private Report check(Duration elapsed) {
        Map<String, ObjectNode> serverRecords = serverRecords();
        int lost = model.lost(serverRecords, problems);
        int diverged = 0;
        for (Device device : devices) {
            Map<String, String> local = new TreeMap<>();
            for (ObjectNode row : device.todos.query().top(100_000).list().items()) {
                local.put(row.get("id").asText(), fingerprint(row));
            }
            Map<String, String> server = new TreeMap<>();
            serverRecords.forEach((id, record) -> server.put(id, fingerprint(record)));
            Set<String> ids = new HashSet<>(local.keySet());
            ids.addAll(server.keySet());
            for (String id : ids) {
                if (!Objects.equals(local.get(id), server.get(id))) {
                    diverged++;
                    problems.add("diverged: c" + device.number + " has " + local.get(id) + " for " + id
                            + ", the server " + server.get(id));
                }
            }
        }
        Map<String, Integer> texts = new HashMap<>();
        serverRecords.values().forEach(r -> texts.merge(r.path("text").asText(), 1, Integer::sum));
        int duplicated = (int) texts.entrySet().stream()
                .filter(e -> e.getValue() > 1 && !e.getKey().startsWith("shared-")).count();
        int stuck = devices.stream().mapToInt(d -> d.sync.pendingOperations().size()).sum();
        if (stuck > 0) {
            devices.forEach(d -> d.sync.pendingOperations().forEach(op -> problems.add("stuck: c" + d.number + " "
                    + op.kind() + " " + op.itemId() + " " + op.state() + " " + op.reason())));
        }
        Report report = new Report(config.seed(), config.database().kind(), config.steps(), config.clients(),
                new EnumMap<>(faults), conflicts, parkedCount, falseConflicts, lost, diverged, duplicated, stuck,
                wronglyParked, List.copyOf(problems.subList(0, Math.min(problems.size(), 20))), elapsed);
        log.println(report.summary());
        return report;
    }

    private static String fingerprint(ObjectNode record) {
        return record.path("text").asText() + " | " + record.path("complete").asBoolean() + " | "
                + record.path("version").asText();
    }

    /** The server's live records, read past the proxy. */
    private Map<String, ObjectNode> serverRecords() {
        OutpostClient client = OutpostClient.builder().baseUrl(server.baseUrl()).build();
        Map<String, ObjectNode> records = new HashMap<>();
        int skip = 0;
        while (true) {
            List<ObjectNode> page = client.getTable("todoitem").query().orderBy("id").skip(skip).top(500).list()
                    .items();
            page.forEach(r -> records.put(r.get("id").asText(), r));
            if (page.isEmpty()) {
                return records;
            }
            skip += page.size();
        }
    }

    /** A fresh directory for a run's client stores. */
    static Path storesDirectory() {
        try {
            return Files.createTempDirectory("outpost-soak-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
