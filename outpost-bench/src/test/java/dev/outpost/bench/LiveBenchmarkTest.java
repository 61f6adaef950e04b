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
 * writes. No timing is asserted (the figures belong to docs/BENCHMARKS.md); every stream must hear of every write
 * and the figures must be printed.
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
        assertThat(output).contains("live sync on SQLite", "event p50 / p99 ms", "replicas: PostgreSQL only",
                "clients: not measured yet", "no OutOfMemoryError");
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
