package dev.outpost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import dev.outpost.client.sync.LiveSyncOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * Live sync (issue 13): how fast and how cheaply change events reach open {@code /outpost/v1/events} streams.
 * Modes ({@code --mode}, comma-separated):
 *
 * <ul>
 *   <li>{@code streams}: one server process (heap capped by {@code --server-heap}) holds 1, 1,000, 10,000 streams
 *       ({@code --streams}) in turn; for each count, {@code --writes} single-record inserts one after another, each
 *       sent once every stream has heard of the previous one. Figures: write → event latency at every stream
 *       (from just before the insert is sent to the moment the stream has read the {@code change} event, over all
 *       streams and writes), the time until the last stream has it, events delivered per second, the server's heap
 *       used after a full GC with no stream open and with the streams open, and CPU per delivered event.</li>
 *   <li>{@code replicas} (PostgreSQL only): the same with two server processes on one schema, the streams on the
 *       second, the inserts through the first (the event travels by {@code NOTIFY}).</li>
 *   <li>{@code clients}: write on client A (a local insert, pushed by A's live sync) → in client B's local store,
 *       both client apps live-syncing (default {@code LiveSyncOptions}) with one server process; spaced writes and
 *       bursts, see {@link LiveClients}.</li>
 * </ul>
 *
 * <p>The streams are held by {@link EventStreams} (one selector thread, raw HTTP/1.1) in this process, the server
 * runs in its own JVM ({@link ServerProcess}); this process needs a file descriptor per stream, and so does the
 * server.
 */
final class LiveBenchmark {
    private static final String TABLE = "todoitem";
    private static final Pattern UPDATED_AT = Pattern.compile("\"updatedAt\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");
    private static final long MAX_LATENCY_MICROS = 120_000_000L;
    private static final long DELIVERY_TIMEOUT_SECONDS = 30;

    /** The figures of one stream count in one setup (latencies in microseconds; heap and RSS in bytes). */
    record Figures(String setup, int streams, int failed, double openSeconds, long heapIdle, long heapOpen,
                       long heapAfter, long rss, Histogram latency, Histogram lastStream, Histogram insert,
                   double eventsPerSecond,
                       long delivered, long missed, int resyncs, String cpu) {
    }

    private final BenchMain.Options options;
    private final PrintStream out;
    private final List<Figures> rows = new ArrayList<>();
    private final List<LiveClients.Figures> clientRows = new ArrayList<>();

    LiveBenchmark(BenchMain.Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /** The figures of the last {@link #run}, in the order measured. */
    List<Figures> figures() {
        return List.copyOf(rows);
    }

    /** The figures of the last {@link #run}'s {@code clients} mode, in the order measured. */
    List<LiveClients.Figures> clientFigures() {
        return List.copyOf(clientRows);
    }

    void run(BenchDatabase database) throws Exception {
        List<String> modes = Arrays.stream(options.mode.split(",")).map(String::trim).toList();
        int[] counts = Arrays.stream(options.streams.split(",")).map(String::trim).mapToInt(Integer::parseInt)
                .toArray();
        out.printf("%n== Live sync on %s (streams %s, %d writes each, server heap -Xmx%s, open files limit "
                + "%s) ==%n", database.kind(), options.streams, options.writes, options.serverHeap, openFilesLimit());
        rows.clear();
        clientRows.clear();
        for (String mode : modes) {
            switch (mode) {
                case "streams" -> measureStreams(database, counts);
                case "replicas" -> measureReplicas(database, counts);
                case "clients" -> measureClients(database);
                default -> throw new IllegalArgumentException("unknown mode '" + mode
                        + "' (expected streams, replicas or clients)");
            }
        }
        printSummary(database);
    }

    /** Streams and writes on one server. */
    private void measureStreams(BenchDatabase database, int[] counts) throws Exception {
        try (ServerProcess server = ServerProcess.start(database.url(), options.serverHeap, serverArguments())) {
            measure("one server", server, server, counts);
        }
    }

    /** Streams on a second server process on the same PostgreSQL schema, writes through the first. */
    private void measureReplicas(BenchDatabase database, int[] counts) throws Exception {
        if (!database.kind().equals("PostgreSQL")) {
            out.println("replicas: PostgreSQL only (on SQLite a server hears only its own commits)");
            return;
        }
        try (ServerProcess writes = ServerProcess.start(database.url(), options.serverHeap, serverArguments());
             ServerProcess streams = ServerProcess.start(database.url(), options.serverHeap, serverArguments())) {
            measure("2 replicas", writes, streams, counts);
        }
    }

    /**
     * Client A → client B (issue 13's third measurement; {@link LiveClients} says how): one server process, two
     * client apps in this process on stores of their own, both with {@code startLiveSync} of {@code todoitem} with
     * the default {@link LiveSyncOptions}; then, with {@code --tuned-debounce}, the same with that debounce,
     * labelled as tuned.
     */
    private void measureClients(BenchDatabase database) throws Exception {
        try (ServerProcess server = ServerProcess.start(database.url(), options.serverHeap, serverArguments())) {
            // The table exists before the clients ask for its change events (the dynamic schema makes it on its
            // first insert; change events of an unknown table are refused, and a live sync would then poll).
            try (HttpConnection writer = new HttpConnection(server.address())) {
                insert(writer, new HttpRequests(server.address()), -1);
            }
            List<LiveSyncOptions> setups = new ArrayList<>();
            List<String> labels = new ArrayList<>();
            LiveSyncOptions defaults = LiveSyncOptions.of(TABLE);
            setups.add(defaults);
            labels.add("default options (debounce " + defaults.debounce().toMillis() + " ms)");
            if (options.tunedDebounce != null) {
                setups.add(LiveSyncOptions.builder().table(TABLE)
                        .debounce(Duration.ofMillis(options.tunedDebounce)).build());
                labels.add("TUNED: debounce " + options.tunedDebounce + " ms");
            }
            for (int i = 0; i < setups.size(); i++) {
                List<LiveClients.Figures> measured = new LiveClients(server.baseUrl(), setups.get(i), labels.get(i))
                        .run(Math.max(3, options.writes / 5), options.writes);
                for (LiveClients.Figures row : measured) {
                    clientRows.add(row);
                    printClients(row);
                }
            }
            checkServer(server);
        }
    }

    private void printClients(LiveClients.Figures row) {
        String spacing = row.kind().equals("spaced") ? " " + LiveClients.SPACING_MILLIS + " ms apart" : "";
        out.printf("clients A → B, %s, %s: %d writes%s, %d in B's store (%d missed); write → B's store p50 %s, "
                        + "p90 %s, p99 %s, max %s ms; pushes by A %d, pulls by B %d (pulls by A %d, pushes by B %d, "
                        + "failed %d)%n", row.setup(), row.kind(), row.writes(), spacing, row.arrived(), row.missed(),
                ms(row.latency(), 50), ms(row.latency(), 90), ms(row.latency(), 99), ms(row.latency(), 100),
                row.pushesA(), row.pullsB(), row.pullsA(), row.pushesB(), row.failures());
        if (row.debounceA() != null && row.debounceA().getTotalCount() > 0) {
            out.printf("  where the time goes, p50 (p90) ms over %d writes: insert → A's push starts %s (%s) [A's "
                            + "insert took %s (%s)]; A's push starts → B's pull starts %s (%s) [A's push took %s "
                            + "(%s)]; B's pull starts → in B's store %s (%s)%n", row.debounceA().getTotalCount(),
                    ms(row.debounceA(), 50), ms(row.debounceA(), 90), ms(row.insert(), 50), ms(row.insert(), 90),
                    ms(row.pushToPull(), 50), ms(row.pushToPull(), 90), ms(row.push(), 50), ms(row.push(), 90),
                    ms(row.pullB(), 50), ms(row.pullB(), 90));
        }
    }

    private void measure(String setup, ServerProcess writeServer, ServerProcess streamServer, int[] counts)
            throws Exception {
        HttpRequests requests = new HttpRequests(writeServer.address());
        try (HttpConnection writer = new HttpConnection(writeServer.address())) {
            // The table exists (the dynamic schema makes it on its first insert) and the insert path is warm.
            for (int i = 0; i < 200; i++) {
                insert(writer, requests, i);
            }
            String target = "/outpost/v1/events?tables=" + TABLE;
            for (int count : counts) {
                long heapIdle = heapUsedAfterGc(streamServer);
                long opening = System.nanoTime();
                EventStreams streams = new EventStreams(streamServer.address(), target);
                try {
                    int ready = streams.open(count, 5 + count / 100, TimeUnit.SECONDS);
                    double openSeconds = (System.nanoTime() - opening) / 1e9;
                    long heapOpen = heapUsedAfterGc(streamServer);
                    long rss = streamServer.residentBytes();
                    out.printf("%s, %,d streams: %,d open in %.1f s, %d failed%s; server heap used after GC "
                                    + "%.1f MiB with none open, %.1f MiB with these (%s per stream), RSS %.0f MiB%n",
                            setup, count, ready, openSeconds, streams.failed(),
                            streams.firstFailure() == null ? "" : " (first: " + streams.firstFailure() + ")",
                            mib(heapIdle), mib(heapOpen), perStream(heapOpen - heapIdle, ready), mib(rss));
                    if (count == Arrays.stream(counts).max().orElse(0) && count >= 1000) {
                        printHeapHistogram(streamServer, count);
                    }
                    if (ready == 0) {
                        rows.add(new Figures(setup, count, streams.failed(), openSeconds, heapIdle, heapOpen, -1, rss,
                                null, null, null, 0, 0, 0, streams.resyncs(), "no stream opened"));
                        continue;
                    }
                    // Warm-up writes (not recorded), then the measured ones.
                    writeAll(writer, requests, streams, Math.max(3, options.writes / 5), null, null, null);
                    Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
                    Histogram lastStream = new Histogram(MAX_LATENCY_MICROS, 3);
                    Histogram insert = new Histogram(MAX_LATENCY_MICROS, 3);
                    CpuMeter cpu = CpuMeter.start(streamServer.handle());
                    long[] totals = writeAll(writer, requests, streams, options.writes, latency, lastStream,
                            insert);
                    long delivered = totals[0];
                    String cpuLine = cpu.perUnit(Math.max(1, delivered), "event");
                    double eventsPerSecond = delivered / (totals[2] / 1e9);
                    long heapAfter = heapUsedAfterGc(streamServer);
                    Figures row = new Figures(setup, count, streams.failed(), openSeconds, heapIdle, heapOpen, heapAfter,
                            Math.max(rss, streamServer.residentBytes()), latency, lastStream, insert, eventsPerSecond,
                            delivered, totals[1], streams.resyncs(), cpuLine.trim());
                    rows.add(row);
                    out.printf("  %d writes (insert answered p50 %s ms): write → event p50 %s, p99 %s, max %s; last "
                                    + "stream p50 %s, p99 %s; %,.0f events/s (%,d delivered, %,d missed, %d resyncs, "
                                    + "%d failed); heap after the writes %.1f MiB%n%s%n", options.writes,
                            ms(insert, 50), ms(latency, 50), ms(latency, 99),
                            ms(latency, 100), ms(lastStream, 50), ms(lastStream, 99), eventsPerSecond, delivered,
                            totals[1], streams.resyncs(), streams.failed(), mib(heapAfter), cpuLine);
                } finally {
                    streams.close();
                }
                // The server notices closed streams when it next writes to them (the first write after the close
                // may still land in the socket's buffer): two writes, so the next count starts without them.
                for (int i = 0; i < 2; i++) {
                    insert(writer, requests, -1);
                    Thread.sleep(300);
                }
            }
        }
        checkServer(writeServer);
        if (streamServer != writeServer) {
            checkServer(streamServer);
        }
    }

    /**
     * Sends {@code writes} inserts one after another, each once every open stream has heard of the previous one (or
     * {@value #DELIVERY_TIMEOUT_SECONDS} s have passed), and records each stream's latency, the last stream's, and
     * the insert's own (until its answer was read; the event may come first).
     *
     * @return events delivered, events missed (streams that had not heard within the timeout), and the nanoseconds
     * from each write's start to its last stream's event, summed
     */
    private long[] writeAll(HttpConnection writer, HttpRequests requests, EventStreams streams, int writes,
                            Histogram latency, Histogram lastStream, Histogram insert) throws Exception {
        long delivered = 0;
        long missed = 0;
        long busy = 0;
        for (int i = 0; i < writes; i++) {
            int expected = streams.ready();
            long start = System.nanoTime();
            long position = insert(writer, requests, i);
            if (insert != null) {
                insert.recordValue((System.nanoTime() - start) / 1000);
            }
            long deadline = start + TimeUnit.SECONDS.toNanos(DELIVERY_TIMEOUT_SECONDS);
            EventStreams.Arrivals arrivals = streams.arrivals(position);
            while ((arrivals == null || arrivals.count() < expected) && System.nanoTime() < deadline) {
                java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                arrivals = streams.arrivals(position);
                expected = Math.min(expected, streams.ready());
            }
            int heard = arrivals == null ? 0 : arrivals.count();
            if (heard < expected) {
                out.printf("  write %d (position %d): %d of %d streams heard of it within %d s; positions "
                        + "heard: %s%n", i, position, heard, expected, DELIVERY_TIMEOUT_SECONDS,
                        streams.positionsHeard());
            }
            long last = start;
            if (arrivals != null) {
                for (long at : arrivals.at) {
                    if (at != 0) {
                        if (latency != null) {
                            latency.recordValue(Math.max(0, (at - start) / 1000));
                        }
                        last = Math.max(last, at);
                    }
                }
            }
            if (lastStream != null) {
                lastStream.recordValue(Math.max(0, (last - start) / 1000));
            }
            delivered += heard;
            missed += Math.max(0, expected - heard);
            busy += last - start;
            streams.forgetArrivals();
        }
        return new long[] {delivered, missed, busy};
    }

    /** Inserts one record and returns its {@code updatedAt} in epoch milliseconds (the table's new position). */
    private static long insert(HttpConnection writer, HttpRequests requests, long n) throws IOException {
        byte[] body = ("{\"text\":\"live " + n + "\",\"complete\":false}").getBytes(StandardCharsets.UTF_8);
        HttpResponseReader response = writer.exchange(requests.post("/tables/" + TABLE, "3.0.0", body));
        String text = response.bodyText();
        if (response.status() != 201) {
            throw new IOException("insert answered " + response.status() + ": " + text);
        }
        Matcher updatedAt = UPDATED_AT.matcher(text);
        if (!updatedAt.find()) {
            throw new IOException("insert answered without updatedAt: " + text);
        }
        return Instant.parse(updatedAt.group(1)).toEpochMilli();
    }

    /** The server's used heap in bytes right after a full GC ({@code jcmd GC.run}, then {@code GC.heap_info}). */
    private static long heapUsedAfterGc(ServerProcess server) {
        server.jcmd("GC.run");
        String info = server.jcmd("GC.heap_info");
        Matcher used = HEAP_USED.matcher(info);
        if (!used.find()) {
            throw new IllegalStateException("no used heap in jcmd GC.heap_info: " + info);
        }
        return Long.parseLong(used.group(2)) * 1024;
    }

    /** The classes that hold most of the server's heap with {@code count} streams open ({@code jcmd GC.class_histogram}). */
    private void printHeapHistogram(ServerProcess server, int count) {
        out.printf("  server heap with %,d streams, largest classes (jcmd GC.class_histogram):%n", count);
        server.jcmd("GC.class_histogram").lines().skip(3).limit(12).forEach(line -> out.println("  " + line));
    }

    private void checkServer(ServerProcess server) throws IOException {
        String log = Files.readString(server.log());
        boolean outOfMemory = log.contains("OutOfMemoryError");
        out.printf("server %s: %s, %s%n", server.baseUrl(), server.isAlive() ? "running" : "EXITED",
                outOfMemory ? "OutOfMemoryError in its log " + server.log() : "no OutOfMemoryError in its log");
    }

    private void printSummary(BenchDatabase database) {
        out.println();
        if (!clientRows.isEmpty()) {
            out.printf("live sync clients on %s (write on A → in B's store; both live-syncing in this process):%n",
                    database.kind());
            out.printf("  %-40s %-11s %6s %7s %-30s %8s %7s%n", "setup", "case", "writes", "arrived",
                    "p50 / p90 / p99 / max ms", "A pushes", "B pulls");
            for (LiveClients.Figures row : clientRows) {
                out.printf("  %-40s %-11s %6d %7d %-30s %8d %7d%n", row.setup(), row.kind(), row.writes(),
                        row.arrived(), ms(row.latency(), 50) + " / " + ms(row.latency(), 90) + " / "
                                + ms(row.latency(), 99) + " / " + ms(row.latency(), 100), row.pushesA(), row.pullsB());
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        out.printf("live sync on %s, server -Xmx%s (latency: write sent → change event read, over every "
                + "stream and write; heap: used after a full GC):%n", database.kind(), options.serverHeap);
        out.printf("  %-11s %7s %6s %8s %-26s %-12s %-20s %-20s %13s%n", "setup", "streams", "failed", "open s",
                "heap none/open/after MiB", "insert p50", "event p50 / p99 ms", "last p50 / p99 ms", "events/s");
        for (Figures row : rows) {
            out.printf("  %-11s %,7d %6d %8.1f %-26s %-12s %-20s %-20s %,13.0f%n", row.setup(), row.streams(),
                    row.failed(), row.openSeconds(), String.format("%.1f / %.1f / %.1f", mib(row.heapIdle()),
                            mib(row.heapOpen()), mib(row.heapAfter())),
                    row.insert() == null ? "-" : ms(row.insert(), 50),
                    row.latency() == null ? "-" : ms(row.latency(), 50) + " / " + ms(row.latency(), 99),
                    row.lastStream() == null ? "-" : ms(row.lastStream(), 50) + " / " + ms(row.lastStream(), 99),
                    row.eventsPerSecond());
        }
    }

    private static List<String> serverArguments() {
        return List.of("--shutdown-timeout-seconds", "1");
    }

    private static String openFilesLimit() {
        try {
            Process ulimit = new ProcessBuilder("sh", "-c", "ulimit -n").redirectErrorStream(true).start();
            String limit = new String(ulimit.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            ulimit.waitFor();
            return limit;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String ms(Histogram histogram, double percentile) {
        long micros = percentile >= 100 ? histogram.getMaxValue() : histogram.getValueAtPercentile(percentile);
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String perStream(long bytes, int streams) {
        return streams == 0 ? "-" : String.format("%.1f KiB", bytes / 1024.0 / streams);
    }
}
