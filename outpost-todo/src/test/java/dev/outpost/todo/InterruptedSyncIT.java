package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.testing.ChaosProxy;
import dev.outpost.testing.TestDatabase;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync} interrupted at the worst moment (the server has applied the push, the app has not heard back) by
 * kill -9, by Ctrl-C (SIGTERM here) and by a cut connection: nothing is lost, nothing is stored twice, and the next
 * sync completes. Real processes: {@code outpost serve} over SQLite and the app in new JVMs.
 */
class InterruptedSyncIT {
    @TempDir
    Path dir;

    private String jdbcUrl;
    private ServerProcess server;
    private TodoProcess phone;

    @BeforeEach
    void start() {
        jdbcUrl = TestDatabase.SQLITE.createUrl();
        server = ServerProcess.start(jdbcUrl);
        phone = new TodoProcess(dir.resolve("phone/todo.db"), dir.resolve("cache"));
        phone.ok("add", "Buy milk");
        phone.ok("add", "Walk the dog");
        phone.ok("add", "Call mum");
    }

    @AfterEach
    void stop() {
        server.close();
        TestDatabase.SQLITE.drop(jdbcUrl);
    }

    @Test
    void syncKilledAfterTheServerAppliedThePushLosesNothingAndStoresNothingTwice() throws Exception {
        assertInterruptedSyncRecovers(Process::destroyForcibly, 137);
    }

    @Test
    void syncStoppedLikeCtrlCAfterTheServerAppliedThePushSaysSoAndTheNextSyncCompletes() throws Exception {
        Jvm.Result stopped = assertInterruptedSyncRecovers(Process::destroy, 143);
        assertThat(stopped.err()).contains("Sync interrupted: nothing is lost");
    }

    @Test
    void syncWhoseAnswerIsLostOnTheNetworkSaysSoInOneLineAndTheNextSyncCompletes() {
        try (ChaosProxy proxy = ChaosProxy.start("127.0.0.1", URI.create(server.url()).getPort())) {
            phone.ok("config", "server", proxy.url());
            // v3: one request per change and no native probe first, so the first answer lost is an insert's.
            phone.ok("config", "protocol", "v3");
            proxy.loseNextResponses(1);
            Jvm.Result cut = phone.run("sync");
            assertThat(cut.exitCode()).as(cut.toString()).isEqualTo(ExitCodes.OFFLINE);
            assertThat(cut.errLines()).as(cut.toString()).hasSize(1);
            assertThat(cut.err()).contains("Cannot reach the server", "3 changes stay queued");

            Jvm.Result again = phone.ok("sync", "--json");
            JsonNode summary = TodoProcess.parse(again.out());
            assertThat(summary.path("pushed").asInt()).isEqualTo(3);
            assertThat(summary.path("alreadyApplied").asInt()).as("recognised, not stored again").isEqualTo(1);
            assertThat(summary.path("conflicts").asInt()).isZero();
        }
        assertThat(WalkthroughIT.texts(server.todoItems())).containsExactlyInAnyOrder("Buy milk", "Walk the dog",
                "Call mum");
        assertThat(WalkthroughIT.rows(phone.items())).isEqualTo(WalkthroughIT.rows(server.todoItems()));
    }

    /** Interrupts a sync whose push the server applied, with {@code interrupt}; checks the recovery. */
    private Jvm.Result assertInterruptedSyncRecovers(java.util.function.Consumer<Process> interrupt, int exitCode)
            throws Exception {
        Jvm.Result interrupted;
        try (AnswerHoldingProxy proxy = new AnswerHoldingProxy(URI.create(server.url()).getPort())) {
            phone.ok("config", "server", proxy.url());
            proxy.hold();
            Path out = dir.resolve("sync.out");
            Path err = dir.resolve("sync.err");
            Process sync = phone.builder("sync").redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            assertThat(proxy.awaitHeldAnswer(120)).as("the push reached the server").isTrue();
            interrupt.accept(sync);
            assertThat(sync.waitFor(60, TimeUnit.SECONDS)).isTrue();
            interrupted = new Jvm.Result(phone.builder("sync").command(), sync.exitValue(), Files.readString(out),
                    Files.readString(err));
            assertThat(interrupted.exitCode()).as(interrupted.toString()).isEqualTo(exitCode);
        }
        int applied = server.todoItems().size();
        assertThat(applied).as("applied by the server before the interruption").isPositive();
        JsonNode status = TodoProcess.parse(phone.ok("status", "--json").out());
        assertThat(status.path("pending").path("insert").asInt()).as("still queued locally").isEqualTo(3);

        phone.ok("config", "server", server.url());
        JsonNode summary = TodoProcess.parse(phone.ok("sync", "--json").out());
        assertThat(summary.path("pushed").asInt()).isEqualTo(3);
        assertThat(summary.path("alreadyApplied").asInt()).as("recognised, not stored again").isEqualTo(applied);
        assertThat(summary.path("conflicts").asInt()).isZero();
        assertThat(WalkthroughIT.texts(server.todoItems())).containsExactlyInAnyOrder("Buy milk", "Walk the dog",
                "Call mum");
        assertThat(WalkthroughIT.rows(phone.items())).isEqualTo(WalkthroughIT.rows(server.todoItems()));
        assertThat(TodoProcess.parse(phone.ok("status", "--json").out()).path("pending").path("insert").asInt())
                .isZero();
        return interrupted;
    }
}
