package dev.outpost.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.sync.ConflictHandlers;
import dev.outpost.client.sync.LiveSync;
import dev.outpost.client.sync.LiveSyncOptions;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.OutpostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The {@code clients} mode of {@link LiveBenchmark}: client app A writes, client app B sees it. Both live in this
 * process, each an {@link OutpostClient} and a {@link SyncContext} over a SQLite store file of its own, each
 * live-syncing {@code todoitem} with the server process ({@code startLiveSync} with the options given: the defaults
 * unless a setup says otherwise).
 *
 * <p>Per write: {@code t0} just before A's local insert ({@code SyncTable.insert}; A's live sync pushes it), and
 * {@code t1} when B's store has the record. B's {@link SyncListener} notes {@code t1}: after each pull page and
 * pull that stored records (the listener hears them after their transaction committed), it looks up the awaited
 * ids in B's store, and takes the time read just before the look-up for those found. The detection therefore adds
 * no polling and costs one primary-key read per awaited id per pull; {@code t1} is late by at most the time
 * between the commit and the listener call (microseconds). The thread that writes waits for the listener's note
 * by checking a map every millisecond.
 *
 * <p>Two cases: <em>spaced</em> writes (each {@value #SPACING_MILLIS} ms after the previous one reached B, so that
 * each is a round of its own: A's push, the change event, B's pull), with where each one's time went, from the
 * listeners' {@code pushStarted} and {@code pullStarted}; and <em>bursts</em> of {@value #BURST} inserts made one
 * after another as fast as the local store takes them.
 */
final class LiveClients {
    static final String TABLE = "todoitem";
    /** The pause between a spaced write reaching B and the next write. */
    static final int SPACING_MILLIS = 300;
    /** Inserts per burst. */
    static final int BURST = 10;
    private static final long MAX_LATENCY_MICROS = 120_000_000L;
    private static final long ARRIVAL_TIMEOUT_SECONDS = 15;
    private static final long CONNECT_TIMEOUT_SECONDS = 30;

    /**
     * The figures of one case (latencies in microseconds). {@code arrived}: writes that reached B's store in time;
     * {@code missed}: writes that had not ({@code arrived + missed = writes}). Pushes and pulls are those the
     * listeners heard during the measured writes. The phases (spaced writes only, else {@code null}): from
     * {@code t0} to A's push starting (A's debounce), from A's push starting to B's pull starting (A's push
     * request and the server's commit, the change event, B's debounce), from B's pull starting to {@code t1}
     * (B's pull request and its local write); {@code push} is A's push from start to finish, {@code insert} A's
     * local insert (from {@code t0} until it returned).
     */
    record Figures(String setup, String kind, int writes, int arrived, int missed, Histogram latency,
                   Histogram insert, Histogram debounceA, Histogram pushToPull, Histogram pullB, Histogram push, int pushesA,
                   int pullsB, int pullsA, int pushesB, int failures) {
    }

    /** A listener that counts pushes and pulls and notes when each started; B's also notes arrivals. */
    private static final class Tally implements SyncListener {
        final AtomicInteger pushes = new AtomicInteger();
        final AtomicInteger pulls = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        volatile long lastPushStarted;
        volatile long lastPushFinished;
        volatile long lastPullStarted;
        /** The ids awaited in this device's store. */
        final Map<String, Boolean> awaited = new ConcurrentHashMap<>();
        /** id → {t1, the start of the pull that brought it}. */
        final Map<String, long[]> arrivals = new ConcurrentHashMap<>();
        volatile SyncTable<ObjectNode> table;

        void reset() {
            pushes.set(0);
            pulls.set(0);
            failures.set(0);
        }

        @Override
        public void pushStarted(int operations) {
            lastPushStarted = System.nanoTime();
        }

        @Override
        public void pushFinished(PushResult result) {
            lastPushFinished = System.nanoTime();
            pushes.incrementAndGet();
        }

        @Override
        public void pushFailed(OutpostException error) {
            failures.incrementAndGet();
        }

        @Override
        public void pullStarted(String table, String queryId) {
            lastPullStarted = System.nanoTime();
        }

        @Override
        public void pullPage(String table, int upserted, int deleted, int skipped) {
            if (upserted > 0) {
                look();
            }
        }

        @Override
        public void pullFinished(PullResult result) {
            pulls.incrementAndGet();
            look();
        }

        @Override
        public void pullFailed(String table, OutpostException error) {
            failures.incrementAndGet();
        }

        /** Notes the awaited ids that are in the store now (the pull's transaction has committed). */
        private void look() {
            SyncTable<ObjectNode> todos = table;
            if (todos == null || awaited.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            for (String id : awaited.keySet()) {
                if (todos.lookup(id).isPresent()) {
                    arrivals.putIfAbsent(id, new long[] {now, lastPullStarted});
                    awaited.remove(id);
                }
            }
        }
    }

    private record Device(SyncContext sync, SyncTable<ObjectNode> todos, LiveSync live, Tally tally) {
    }

    private final String baseUrl;
    private final LiveSyncOptions liveOptions;
    private final String setup;

    /**
     * @param setup how the live syncs are set (printed with the figures)
     */
    LiveClients(String baseUrl, LiveSyncOptions liveOptions, String setup) {
        this.baseUrl = baseUrl;
        this.liveOptions = liveOptions;
        this.setup = setup;
    }

    /**
     * Opens A and B on two fresh store files, waits until both have their change events open, makes
     * {@code warmUp} spaced writes (not measured), then {@code writes} spaced writes and bursts of {@value #BURST}
     * ({@code writes / BURST} of them, at least one).
     *
     * @return the spaced figures, then the bursts'
     * @throws IllegalStateException if a live sync does not connect in time
     */
    List<Figures> run(int warmUp, int writes) throws InterruptedException {
        Path dir;
        try {
            dir = Files.createTempDirectory("outpost-bench-clients");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Device a = null;
        Device b = null;
        try {
            a = open(dir.resolve("a.db"));
            b = open(dir.resolve("b.db"));
            awaitConnected(a, "A");
            awaitConnected(b, "B");
            String run = Long.toString(System.currentTimeMillis(), 36);
            spaced(a, b, "warm-" + run, warmUp, false);
            List<Figures> figures = new ArrayList<>();
            figures.add(spaced(a, b, "spaced-" + run, writes, true));
            figures.add(bursts(a, b, "burst-" + run, Math.max(1, writes / BURST)));
            return figures;
        } finally {
            if (a != null) {
                a.sync().close();
            }
            if (b != null) {
                b.sync().close();
            }
            deleteTree(dir);
        }
    }

    private Device open(Path store) {
        Tally tally = new Tally();
        SyncContext sync = OutpostClient.builder().baseUrl(baseUrl).build()
                .newSyncContext(SqliteLocalStore.open(store), ConflictHandlers.serverWins(), tally);
        SyncTable<ObjectNode> todos = sync.getSyncTable(TABLE);
        tally.table = todos;
        LiveSync live = sync.startLiveSync(liveOptions);
        return new Device(sync, todos, live, tally);
    }

    private static void awaitConnected(Device device, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CONNECT_TIMEOUT_SECONDS);
        while (device.live().state() != LiveSync.State.CONNECTED) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("client " + name + "'s live sync is " + device.live().state()
                        + " after " + CONNECT_TIMEOUT_SECONDS + " s, not CONNECTED");
            }
            Thread.sleep(10);
        }
    }

    /** {@code writes} inserts on A, each {@value #SPACING_MILLIS} ms after the previous one reached B. */
    private Figures spaced(Device a, Device b, String prefix, int writes, boolean measured)
            throws InterruptedException {
        Histogram latency = histogram();
        Histogram insert = histogram();
        Histogram debounceA = histogram();
        Histogram pushToPull = histogram();
        Histogram pullB = histogram();
        Histogram push = histogram();
        a.tally().reset();
        b.tally().reset();
        int arrived = 0;
        for (int i = 0; i < writes; i++) {
            String id = prefix + "-" + i;
            b.tally().awaited.put(id, Boolean.TRUE);
            long t0 = System.nanoTime();
            a.todos().insert(todo(id, i));
            insert.recordValue(micros(System.nanoTime() - t0));
            long[] arrival = awaitArrival(b, id);
            if (arrival != null) {
                arrived++;
                long t1 = arrival[0];
                latency.recordValue(micros(t1 - t0));
                long pushStarted = a.tally().lastPushStarted;
                long pushFinished = a.tally().lastPushFinished;
                long pullStarted = arrival[1];
                // Phases only when the listeners' times fall in order inside this write's round.
                if (pushStarted - t0 >= 0 && pullStarted - pushStarted >= 0 && t1 - pullStarted >= 0
                        && pushFinished - pushStarted >= 0) {
                    debounceA.recordValue(micros(pushStarted - t0));
                    pushToPull.recordValue(micros(pullStarted - pushStarted));
                    pullB.recordValue(micros(t1 - pullStarted));
                    push.recordValue(micros(pushFinished - pushStarted));
                }
            }
            Thread.sleep(SPACING_MILLIS);
        }
        return measured ? figures("spaced", writes, arrived, latency, insert, debounceA, pushToPull, pullB, push, a, b)
                : null;
    }

    /** {@code bursts} times: {@value #BURST} inserts on A back to back, then wait until B has them all. */
    private Figures bursts(Device a, Device b, String prefix, int bursts) throws InterruptedException {
        Histogram latency = histogram();
        a.tally().reset();
        b.tally().reset();
        int arrived = 0;
        for (int n = 0; n < bursts; n++) {
            List<String> ids = new ArrayList<>();
            List<Long> starts = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                String id = prefix + "-" + n + "-" + i;
                b.tally().awaited.put(id, Boolean.TRUE);
                ids.add(id);
                starts.add(System.nanoTime());
                a.todos().insert(todo(id, i));
            }
            for (int i = 0; i < BURST; i++) {
                long[] arrival = awaitArrival(b, ids.get(i));
                if (arrival != null) {
                    arrived++;
                    latency.recordValue(micros(arrival[0] - starts.get(i)));
                }
            }
            Thread.sleep(SPACING_MILLIS);
        }
        return figures("burst of " + BURST, bursts * BURST, arrived, latency, null, null, null, null, null, a, b);
    }

    private Figures figures(String kind, int writes, int arrived, Histogram latency, Histogram insert,
                            Histogram debounceA, Histogram pushToPull, Histogram pullB, Histogram push, Device a, Device b) {
        return new Figures(setup, kind, writes, arrived, writes - arrived, latency, insert, debounceA, pushToPull, pullB,
                push, a.tally().pushes.get(), b.tally().pulls.get(), a.tally().pulls.get(), b.tally().pushes.get(),
                a.tally().failures.get() + b.tally().failures.get());
    }

    /**
     * Waits for B's listener to note {@code id}; {@code {t1, pull start}}, or {@code null} if it has not come within
     * {@value #ARRIVAL_TIMEOUT_SECONDS} s (then the id is no longer awaited).
     */
    private static long[] awaitArrival(Device b, String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ARRIVAL_TIMEOUT_SECONDS);
        while (true) {
            long[] arrival = b.tally().arrivals.remove(id);
            if (arrival != null) {
                return arrival;
            }
            if (System.nanoTime() - deadline > 0) {
                b.tally().awaited.remove(id);
                return b.tally().arrivals.remove(id);
            }
            LockSupport.parkNanos(1_000_000);
        }
    }

    private static ObjectNode todo(String id, int n) {
        return JsonNodeFactory.instance.objectNode().put("id", id).put("text", "live client write " + n)
                .put("complete", false);
    }

    private static Histogram histogram() {
        return new Histogram(MAX_LATENCY_MICROS, 3);
    }

    private static long micros(long nanos) {
        return Math.max(0, Math.min(MAX_LATENCY_MICROS, nanos / 1000));
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // A temporary directory left behind is harmless.
        }
    }
}
