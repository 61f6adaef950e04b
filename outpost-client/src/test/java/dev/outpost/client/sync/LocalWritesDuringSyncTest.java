package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.SyncContext;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;
import dev.outpost.client.testing.Target;
import dev.outpost.protocol.sync.OperationKind;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

/**
 * Invariant 4: a local edit made while a push or pull is in flight is never overwritten by that push's or pull's
 * result. The server runs the app's edit while the client waits for its answer, so the race happens every time.
 */
class LocalWritesDuringSyncTest {
    @SyncTest({Target.FAKE_NATIVE, Target.FAKE_V2, Target.FAKE_V3})
    void anEditMadeWhileItsInsertIsInFlightIsKeptAndPushedNext(SyncFixture fixture) {
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.todos().insert(todo("a", "milk"));
        duringFirst(fixture, "POST"::equals, () -> {
            phone.todos().update(todo("a", "edited during the push"));
        });

        PushResult first = phone.sync().push();

        assertThat(first.parked()).isEmpty();
        assertThat(phone.text("a")).isEqualTo("edited during the push");
        assertThat(phone.sync().pendingOperations()).extracting(PendingOperation::kind)
                .containsExactly(OperationKind.UPDATE);
        assertThat(phone.sync().pendingOperations().get(0).baseVersion())
                .isEqualTo(fixture.server.record("todoitem", "a").get("version").asText());

        fixture.fake().onRequest(null);
        phone.sync().push();

        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.record("todoitem", "a").get("text").asText())
                .isEqualTo("edited during the push");
    }

    @SyncTest(Target.FAKE_NATIVE)
    void writesMadeDuringALongPushToOperationsNotSentYetAreSentAsTheyAreThen(SyncFixture fixture) {
        // Three native batches; while the first is on the server, the app deletes a record whose insert is in the
        // third batch and edits another one there. The push must send the queue as it is when the third batch
        // leaves, not as it was when the push started (nor park the deleted record's insert as missing its record).
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        queueInserts(phone, 1200);
        duringFirst(fixture, "POST"::equals, () -> {
            phone.todos().deleteById("r1100");
            phone.todos().update(todo("r1150", "edited while queued"));
        });

        PushResult result = phone.sync().push();

        assertThat(result.parked()).isEmpty();
        assertThat(result.pushed()).isEqualTo(1199);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.liveRecords("todoitem")).hasSize(1199);
        assertThat(fixture.server.record("todoitem", "r1100")).isNull();
        assertThat(fixture.server.record("todoitem", "r1150").get("text").asText())
                .isEqualTo("edited while queued");
        assertThat(phone.text("r1150")).isEqualTo("edited while queued");
    }

    @SyncTest({Target.FAKE_V2, Target.FAKE_V3})
    void writesMadeDuringAPushToOperationsItHasReadButNotSentAreSentAsTheyAreThen(SyncFixture fixture) {
        // One request per operation: the push has read all three operations before sending the first. While the
        // first is on the server, the app deletes the third record (its insert was never sent, so both go) and edits
        // the second.
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.todos().insert(todo("a", "first"));
        phone.todos().insert(todo("b", "second"));
        phone.todos().insert(todo("c", "third"));
        duringFirst(fixture, "POST"::equals, () -> {
            phone.todos().deleteById("c");
            phone.todos().update(todo("b", "second, edited while queued"));
        });

        PushResult result = phone.sync().push();

        assertThat(result.parked()).isEmpty();
        assertThat(result.pushed()).isEqualTo(2);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.record("todoitem", "c")).isNull();
        assertThat(fixture.server.record("todoitem", "b").get("text").asText())
                .isEqualTo("second, edited while queued");
    }

    @SyncTest(Target.FAKE_NATIVE)
    void whatIsQueuedWhileAPushRunsWaitsForTheNextPush(SyncFixture fixture) {
        // 1,200 operations: the push reads the queue a page of 500 at a time; the third page is read after the first
        // batch's answer, so after the write the server makes while it holds that batch.
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        queueInserts(phone, 1200);
        duringFirst(fixture, "POST"::equals, () -> {
            phone.todos().insert(todo("late", "queued during the push"));
        });

        PushResult first = phone.sync().push();

        assertThat(first.pushed()).isEqualTo(1200);
        assertThat(phone.sync().pendingOperations()).extracting(PendingOperation::itemId)
                .containsExactly("late");
        assertThat(fixture.server.record("todoitem", "late")).isNull();

        fixture.fake().onRequest(null);
        assertThat(phone.sync().push().pushed()).isEqualTo(1);
        assertThat(fixture.server.liveRecords("todoitem")).hasSize(1201);
    }

    @SyncTest({Target.FAKE_NATIVE, Target.FAKE_V2, Target.FAKE_V3})
    void anEditMadeWhileItsUpdateIsInFlightIsKeptAndPushedNext(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.todos().update(todo("a", "first edit"));
        duringFirst(fixture, method -> !method.equals("GET"), () -> {
            phone.todos().update(todo("a", "second edit"));
        });

        phone.sync().push();
        assertThat(phone.text("a")).isEqualTo("second edit");
        fixture.fake().onRequest(null);
        PushResult second = phone.sync().push();

        assertThat(second.parked()).isEmpty();
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("second edit");
    }

    @SyncTest({Target.FAKE_NATIVE, Target.FAKE_V2, Target.FAKE_V3})
    void aDeleteMadeWhileTheInsertIsInFlightStillReachesTheServer(SyncFixture fixture) {
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.todos().insert(todo("a", "milk"));
        duringFirst(fixture, "POST"::equals, () -> {
            phone.todos().deleteById("a");
        });

        phone.sync().push();
        fixture.fake().onRequest(null);
        phone.sync().push();

        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(phone.todos().lookup("a")).isEmpty();
        assertThat(fixture.server.liveRecords("todoitem")).isEmpty();
    }

    @SyncTest({Target.FAKE_NATIVE, Target.FAKE_V2, Target.FAKE_V3})
    void anEditMadeWhileAPullIsInFlightIsNotOverwrittenByThePulledPage(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("a", "server edit"));
        duringFirst(fixture, "GET"::equals, () -> {
            phone.todos().update(todo("a", "edited during the pull"));
        });

        PullResult result = phone.todos().pull("all");

        assertThat(result.skipped()).isEqualTo(1);
        assertThat(phone.text("a")).isEqualTo("edited during the pull");
        assertThat(phone.sync().pendingOperations()).hasSize(1);
    }

    /** Waits (bounded) until the push has marked the record's operation in flight: its request is on its way. */
    private static void awaitInFlight(SyncContext sync) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (sync.pendingOperations().stream().noneMatch(op -> op.state() == PendingOperation.State.IN_FLIGHT)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the push never sent its operation");
            }
            Thread.onSpinWait();
        }
    }

    @SyncTest
    void anEditMadeWhileAPushIsHeldUpOnTheNetworkIsKept(SyncFixture fixture) throws Exception {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.todos().update(todo("a", "first edit"));
        fixture.proxy.stall(true);
        java.util.concurrent.CompletableFuture<PushResult> push =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> phone.sync().push());

        awaitInFlight(phone.sync());
        phone.todos().update(todo("a", "second edit"));
        fixture.proxy.stall(false);
        PushResult first = push.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(first.parked()).isEmpty();
        assertThat(phone.text("a")).isEqualTo("second edit");
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("first edit");
        phone.sync().push();
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("second edit");
        assertThat(phone.sync().pendingOperations()).isEmpty();
    }

    @SyncTest
    void anEditMadeWhileAPullIsHeldUpOnTheNetworkIsKept(SyncFixture fixture) throws Exception {
        fixture.server.write("todoitem", todo("a", "milk"));
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(2);
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park(), new SyncListener() {
            @Override
            public void pullStarted(String table, String queryId) {
                started.countDown();
            }
        });
        phone.todos().pull("other");
        fixture.server.write("todoitem", todo("a", "server edit"));
        fixture.proxy.stall(true);
        java.util.concurrent.CompletableFuture<PullResult> pull =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> phone.todos().pull("all"));

        assertThat(started.await(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        phone.todos().update(todo("a", "edited during the pull"));
        fixture.proxy.stall(false);
        PullResult result = pull.get(30, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(phone.text("a")).isEqualTo("edited during the pull");
        assertThat(result.skipped()).isEqualTo(1);
    }

    /** Queues inserts of records {@code r0000}, {@code r0001}, … (three native batches for 1,200). */
    private static void queueInserts(SyncFixture.Device phone, int count) {
        for (int i = 0; i < count; i++) {
            phone.todos().insert(todo(String.format("r%04d", i), "item " + i));
        }
    }

    /**
     * Makes the server run {@code write} (an app's local write) when the first request whose method matches arrives,
     * before it answers that request: the write lands while the push or pull waits for its answer.
     */
    private static void duringFirst(SyncFixture fixture, Predicate<String> method, Runnable write) {
        AtomicBoolean once = new AtomicBoolean();
        fixture.fake().onRequest(request -> {
            if (method.test(request.getMethod()) && once.compareAndSet(false, true)) {
                write.run();
            }
        });
    }
}
