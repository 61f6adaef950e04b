package dev.outpost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.testing.TestPostgres;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convergence run under faults ({@link Soak}, docs/FAULTS.md) in the suite: three seeds per database, each a
 * real server child process behind the fault proxy, three clients with real stores, server and client kills. Each
 * run prints its seed; rerun one alone with {@code -Doutpost.soakSeeds=S} (and more steps with
 * {@code -Doutpost.soakSteps=N}). Longer runs: {@code outpost-bench soak --minutes N --seed S}.
 */
class ConvergenceSoakTest {
    static List<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (String seed : System.getProperty("outpost.soakSeeds", "1,2,3").split(",")) {
            runs.add(Arguments.of("sqlite", Long.parseLong(seed.trim())));
            runs.add(Arguments.of("postgres", Long.parseLong(seed.trim())));
        }
        return runs;
    }

    @ParameterizedTest(name = "seed {1} on {0}")
    @MethodSource("runs")
    void nothingIsLostDivergedDuplicatedStuckOrWronglyParked(String database, long seed, @TempDir Path dir)
            throws Exception {
        int steps = Integer.getInteger("outpost.soakSteps", 120);
        if (database.equals("postgres")) {
            TestPostgres.requireOrSkip();
        }
        try (BenchDatabase db = database.equals("sqlite") ? BenchDatabase.sqlite()
                : BenchDatabase.postgres(TestPostgres.baseUrl())) {
            Soak.Report report = new Soak(new Soak.Config(seed, steps, 3, db, dir), System.out).run();

            assertThat(report.ok())
                    .as("%s%nrerun alone: ./mvnw -pl outpost-bench -am test -Dtest=ConvergenceSoakTest"
                            + " -Dsurefire.failIfNoSpecifiedTests=false -Doutpost.soakSeeds=%d", report.summary(), seed)
                    .isTrue();
            // The run must have met what it is about, or its zeros prove nothing.
            assertThat(report.faults().values().stream().mapToInt(Integer::intValue).sum()).isGreaterThan(5);
            assertThat(report.conflicts()).isPositive();
        }
    }
}
