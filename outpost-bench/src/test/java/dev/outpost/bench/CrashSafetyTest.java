package dev.outpost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash safety of the local store (invariant 1, {@link CrashRun}): an app in a JVM of its own, writing and pushing,
 * is killed {@code -9} at a random moment, 100 times (on two store files at once, 50 each).
 */
class CrashSafetyTest {
    @Test
    void aStoreKilledAHundredTimesMidWriteAndMidPushAlwaysOpensConsistentAndConverges(@TempDir Path dir)
            throws Exception {
        long seed = Long.getLong("outpost.crashSeed", 20261203L);
        ServerConfig config = ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).shutdownTimeout(Duration.ZERO).build();
        OutpostServer server = OutpostServer.builder().config(config).build().start();
        try {
            // Two stores at once, each with its own app and records: 100 kills in half the time.
            CrashRun.Report report = new CrashRun("http://127.0.0.1:" + server.port(), dir, seed, System.out)
                    .run(Integer.getInteger("outpost.crashKills", 100), 2);

            assertThat(report.violations()).as("seed %d (rerun with -Doutpost.crashSeed=%d)", seed, seed).isEmpty();
            assertThat(report.kills()).isEqualTo(100);
            // The kills landed while there was work in flight, or the checks prove nothing.
            assertThat(report.writesAcknowledged()).isGreaterThan(100);
            assertThat(report.queuedAtKills()).isPositive();
        } finally {
            server.stop();
        }
    }
}
