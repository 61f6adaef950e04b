package dev.outpost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.testing.TestPostgres;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code live} suite ({@link LiveBenchmark}) with tiny numbers: a real server process, a few streams and
 * writes, two live-syncing client apps. No timing is asserted (the figures belong to docs/BENCHMARKS.md); every
 * stream must hear of every write, every write on client A must reach client B's store, and the figures must be
 * printed.
 */
class LiveBenchmarkTest {
    private static BenchMain.Options options(String mode) {
        BenchMain.Options options = new BenchMain.Options();
        options.mode = mode;
        options.streams = "1,20";
        options.writes = 5;
        options.serverHeap = "128m";
        return options;
    }

    @Test
    void everyStreamHearsOfEveryWriteOnSqlite() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LiveBenchmark bench = new LiveBenchmark(options("streams,replicas,clients"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (BenchDatabase database = BenchDatabase.sqlite()) {
            bench.run(database);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.print(output);

        assertDelivered(bench.figures(), "one server");
        assertArrived(bench.clientFigures());
        assertThat(output).contains("live sync on SQLite", "event p50 / p99 ms", "replicas: PostgreSQL only",
                "clients A → B, default options (debounce 100 ms), spaced: 5 writes", "write → B's store p50",
                "where the time goes", "live sync clients on SQLite", "no OutOfMemoryError");
        assertThat(output).doesNotContain("TUNED");
    }

    @Test
    void everyWriteOnClientAReachesClientBOnPostgres() throws Exception {
        TestPostgres.requireOrSkip();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        BenchMain.Options options = options("clients");
        options.writes = 3;
        options.tunedDebounce = 20;
        LiveBenchmark bench = new LiveBenchmark(options, new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (BenchDatabase database = BenchDatabase.postgres(TestPostgres.baseUrl())) {
            bench.run(database);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.print(output);

        assertThat(bench.clientFigures()).extracting(LiveClients.Figures::setup).containsExactly(
                "default options (debounce 100 ms)", "default options (debounce 100 ms)", "TUNED: debounce 20 ms",
                "TUNED: debounce 20 ms");
        assertArrived(bench.clientFigures());
        assertThat(output).contains("clients A → B, TUNED: debounce 20 ms, spaced: 3 writes",
                "live sync clients on PostgreSQL", "no OutOfMemoryError");
    }

    @Test
    void streamsOnOneReplicaHearOfWritesThroughTheOtherOnPostgres() throws Exception {
        TestPostgres.requireOrSkip();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LiveBenchmark bench = new LiveBenchmark(options("replicas"),
                new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (BenchDatabase database = BenchDatabase.postgres(TestPostgres.baseUrl())) {
            bench.run(database);
        }
        String output = printed.toString(StandardCharsets.UTF_8);
        System.out.print(output);

        assertDelivered(bench.figures(), "2 replicas");
        assertThat(output).contains("live sync on PostgreSQL", "event p50 / p99 ms");
    }

    /** Every write of every case reached B's store, B pulled and A pushed, nothing failed. */
    private static void assertArrived(List<LiveClients.Figures> figures) {
        assertThat(figures).extracting(LiveClients.Figures::kind).contains("spaced", "burst of 10");
        for (LiveClients.Figures row : figures) {
            assertThat(row.arrived()).as(row.kind() + ": writes in B's store").isEqualTo(row.writes()).isPositive();
            assertThat(row.missed()).as(row.kind() + ": writes missed").isZero();
            assertThat(row.latency().getTotalCount()).isEqualTo(row.writes());
            assertThat(row.pushesA()).as("A's pushes").isPositive();
            assertThat(row.pullsB()).as("B's pulls").isPositive();
            assertThat(row.pushesB()).as("B's pushes").isZero();
            assertThat(row.failures()).as("failed pushes and pulls").isZero();
        }
    }

    private static void assertDelivered(List<LiveBenchmark.Figures> figures, String setup) {
        assertThat(figures).extracting(LiveBenchmark.Figures::setup).containsExactly(setup, setup);
        assertThat(figures).extracting(LiveBenchmark.Figures::streams).containsExactly(1, 20);
        for (LiveBenchmark.Figures row : figures) {
            assertThat(row.failed()).as("failed streams").isZero();
            assertThat(row.missed()).as("events missed").isZero();
            assertThat(row.delivered()).as("events delivered").isEqualTo(row.streams() * 5L);
            assertThat(row.latency().getTotalCount()).isEqualTo(row.streams() * 5L);
            assertThat(row.heapOpen()).as("heap used").isPositive();
        }
    }
}
