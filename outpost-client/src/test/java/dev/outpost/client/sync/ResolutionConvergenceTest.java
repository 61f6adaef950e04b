package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Invariant 5 (convergence) after conflicts: however a conflict is resolved, and however late, the device ends with
 * the server's current record. The sequence is the one a fault run found: a device's edit of a shared record is
 * parked; while it is parked the record changes again on the server, and the device's pulls skip it (it has a
 * queued operation) and move their cursor past the newer version; then the device resolves from the server's
 * record as it was when the conflict was recorded.
 */
class ResolutionConvergenceTest {

    /** The phone's edit of {@code shared} is parked, then the tablet changes the record once more and the phone pulls. */
    private static SyncFixture.Device parkedWhileTheRecordKeepsChanging(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("shared", "v1").put("note", "base"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("shared", "by tablet #2").put("note", "base"));
        phone.todos().update(todo("shared", "by phone").put("note", "base"));
        assertThat(phone.sync().push().parked()).extracting(PendingOperation::itemId).containsExactly("shared");
        fixture.server.write("todoitem", todo("shared", "by tablet #3").put("note", "the tablet's note"));

        PullResult skipped = phone.todos().pull("all");

        assertThat(skipped.skipped()).isEqualTo(1);
        assertThat(phone.text("shared")).isEqualTo("by phone");
        return phone;
    }

    private static PendingOperation parked(SyncFixture.Device device) {
        List<PendingOperation> parked = device.sync().parkedOperations();
        assertThat(parked).hasSize(1);
        return parked.get(0);
    }

    /** The device's copy of {@code shared} is the server's current record, and nothing is queued. */
    private static void assertConverged(SyncFixture fixture, SyncFixture.Device device) {
        assertThat(device.sync().pendingOperations()).isEmpty();
        ObjectNode server = fixture.server.record("todoitem", "shared");
        ObjectNode local = device.todos().lookup("shared").orElseThrow();
        assertThat(local.get("text")).isEqualTo(server.get("text"));
        assertThat(local.get("note")).isEqualTo(server.get("note"));
        assertThat(local.get("version")).isEqualTo(server.get("version"));
    }

    @SyncTest
    void takingTheServersVersionLaterEndsWithItsCurrentRecordNotTheOneRecordedWithTheConflict(SyncFixture fixture) {
        SyncFixture.Device phone = parkedWhileTheRecordKeepsChanging(fixture);
        PendingOperation conflict = parked(phone);
        assertThat(conflict.serverRecord().get("text").asText()).isEqualTo("by tablet #2");

        phone.sync().resolve(conflict, ConflictResolution.takeServer());
        phone.todos().pull("all");

        assertThat(phone.text("shared")).isEqualTo("by tablet #3");
        assertConverged(fixture, phone);
    }

    @SyncTest
    void discardingLaterBringsTheServersCurrentRecordBack(SyncFixture fixture) {
        SyncFixture.Device phone = parkedWhileTheRecordKeepsChanging(fixture);

        phone.sync().resolve(parked(phone), ConflictResolution.discard());
        phone.todos().pull("all");

        assertThat(phone.text("shared")).isEqualTo("by tablet #3");
        assertConverged(fixture, phone);
    }

    @SyncTest
    void keepingMineLaterSendsItWithTheServersCurrentVersionWithoutAskingAgain(SyncFixture fixture) {
        SyncFixture.Device phone = parkedWhileTheRecordKeepsChanging(fixture);

        phone.sync().resolve(parked(phone), ConflictResolution.keepClient());
        PushResult pushed = phone.sync().push();
        phone.todos().pull("all");

        assertThat(pushed.parked()).isEmpty();
        assertThat(fixture.server.record("todoitem", "shared").get("text").asText()).isEqualTo("by phone");
        assertConverged(fixture, phone);
    }

    @SyncTest
    void aMergeMadeFromAnOlderServerVersionIsAskedAgainRatherThanClobberingTheNewerOne(SyncFixture fixture) {
        SyncFixture.Device phone = parkedWhileTheRecordKeepsChanging(fixture);
        ObjectNode merged = parked(phone).serverRecord().put("text", "merged by hand");

        phone.sync().resolve(parked(phone), ConflictResolution.merge(merged));
        PushResult pushed = phone.sync().push();

        // The merge was made from "by tablet #2"; the server has "by tablet #3" with a note the merge never saw.
        assertThat(pushed.parked()).hasSize(1);
        assertThat(fixture.server.record("todoitem", "shared").get("note").asText()).isEqualTo("the tablet's note");
        PendingOperation again = parked(phone);
        assertThat(again.serverRecord().get("text").asText()).isEqualTo("by tablet #3");

        phone.sync().resolve(again, ConflictResolution.merge(again.serverRecord().put("text", "merged again")));
        assertThat(phone.sync().push().parked()).isEmpty();
        phone.todos().pull("all");

        assertThat(fixture.server.record("todoitem", "shared").get("text").asText()).isEqualTo("merged again");
        assertThat(fixture.server.record("todoitem", "shared").get("note").asText()).isEqualTo("the tablet's note");
        assertConverged(fixture, phone);
    }

    @SyncTest
    void aRecordDeletedOnTheServerWhileTheConflictWasParkedIsRemovedOnceResolved(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("shared", "v1"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("shared", "by tablet #2"));
        phone.todos().update(todo("shared", "by phone"));
        phone.sync().push();
        SyncFixture.Device tablet = fixture.device("tablet", ConflictHandlers.serverWins());
        tablet.todos().pull("all");
        tablet.todos().deleteById("shared");
        tablet.sync().push();
        phone.todos().pull("all");
        assertThat(phone.todos().lookup("shared")).isPresent();

        phone.sync().resolve(parked(phone), ConflictResolution.takeServer());
        phone.todos().pull("all");

        assertThat(phone.todos().lookup("shared")).isEmpty();
        assertThat(phone.sync().pendingOperations()).isEmpty();
    }

    @SyncTest
    void aRecordEditedDuringAPullAndDiscardedByTheHandlerComesBackFromTheServer(SyncFixture fixture)
            throws Exception {
        fixture.server.write("todoitem", todo("shared", "v1"));
        CountDownLatch started = new CountDownLatch(2);
        SyncFixture.Device phone = fixture.device("phone", conflict -> ConflictResolution.discard(),
                new SyncListener() {
                    @Override
                    public void pullStarted(String table, String queryId) {
                        started.countDown();
                    }
                });
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("shared", "by tablet #2"));
        fixture.proxy.stall(true);
        CompletableFuture<PullResult> pull = CompletableFuture.supplyAsync(() -> phone.todos().pull("all"));
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        phone.todos().update(todo("shared", "by phone"));
        fixture.proxy.stall(false);
        // The pull skips "by tablet #2" (the record has a queued change) and its cursor moves past it.
        assertThat(pull.get(30, TimeUnit.SECONDS).skipped()).isEqualTo(1);

        phone.sync().push();
        assertThat(phone.todos().lookup("shared")).isEmpty();
        phone.todos().pull("all");

        assertThat(phone.text("shared")).isEqualTo("by tablet #2");
        assertConverged(fixture, phone);
    }
}
