package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.testing.RecordingSyncListener;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;
import java.util.ArrayList;
import java.util.List;

/** Every conflict policy, parking and later resolution, against each protocol. */
class ConflictTest {
    /** A device that pulled record {@code a}, then both it and another client changed it. */
    private static SyncFixture.Device conflicting(SyncFixture fixture, ConflictHandler handler,
            RecordingSyncListener events) {
        fixture.server.write("todoitem", todo("a", "milk").put("note", "base"));
        SyncFixture.Device phone = fixture.device("phone", handler, events);
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("a", "milk").put("note", "changed on the server"));
        phone.todos().update(todo("a", "oat milk").put("note", "base"));
        return phone;
    }

    @SyncTest
    void serverWinsTakesTheServersRecordAndDropsTheChange(SyncFixture fixture) {
        RecordingSyncListener events = new RecordingSyncListener();
        SyncFixture.Device phone = conflicting(fixture, ConflictHandlers.serverWins(), events);

        PushResult result = phone.sync().push();

        assertThat(result.resolved()).isEqualTo(1);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(phone.text("a")).isEqualTo("milk");
        assertThat(phone.todos().lookup("a").orElseThrow().get("note").asText())
                .isEqualTo("changed on the server");
        assertThat(events.events()).contains("conflict a TakeServer");
    }

    @SyncTest
    void clientWinsSendsTheChangeAgainOnTheServersVersion(SyncFixture fixture) {
        SyncFixture.Device phone = conflicting(fixture, ConflictHandlers.clientWins(), new RecordingSyncListener());

        PushResult result = phone.sync().push();

        assertThat(result.parked()).isEmpty();
        assertThat(result.pushed()).isEqualTo(1);
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("oat milk");
        assertThat(phone.todos().lookup("a").orElseThrow().get("version").asText())
                .isEqualTo(fixture.server.record("todoitem", "a").get("version").asText());
    }

    @SyncTest
    void threeWayMergeKeepsBothSidesChangesToDifferentFields(SyncFixture fixture) {
        SyncFixture.Device phone = conflicting(fixture, ConflictHandlers.threeWayMerge(),
                new RecordingSyncListener());

        PushResult result = phone.sync().push();

        assertThat(result.parked()).isEmpty();
        ObjectNode server = fixture.server.record("todoitem", "a");
        assertThat(server.get("text").asText()).isEqualTo("oat milk");
        assertThat(server.get("note").asText()).isEqualTo("changed on the server");
        assertThat(phone.todos().lookup("a").orElseThrow().get("note").asText())
                .isEqualTo("changed on the server");
    }

    @SyncTest
    void threeWayMergeParksWhenBothSidesChangedTheSameField(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.threeWayMerge());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("a", "soy milk"));
        phone.todos().update(todo("a", "oat milk"));

        PushResult result = phone.sync().push();

        assertThat(result.parked()).extracting(PendingOperation::itemId).containsExactly("a");
        assertThat(phone.text("a")).isEqualTo("oat milk");
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("soy milk");
    }

    @SyncTest
    void discardDropsTheChangeAndTheLocalRecordUntilTheNextPull(SyncFixture fixture) {
        SyncFixture.Device phone = conflicting(fixture, conflict -> ConflictResolution.discard(),
                new RecordingSyncListener());

        phone.sync().push();
        assertThat(phone.todos().lookup("a")).isEmpty();
        phone.todos().pull("all");

        assertThat(phone.todos().lookup("a").orElseThrow().get("note").asText())
                .isEqualTo("changed on the server");
    }

    @SyncTest
    void aParkedConflictLetsTheRestOfTheQueueFlowAndIsResolvedLater(SyncFixture fixture) {
        SyncFixture.Device phone = conflicting(fixture, ConflictHandlers.park(), new RecordingSyncListener());
        phone.todos().insert(todo("b", "bread"));

        PushResult result = phone.sync().push();

        assertThat(result.parked()).extracting(PendingOperation::itemId).containsExactly("a");
        assertThat(fixture.server.record("todoitem", "b")).isNotNull();
        List<PendingOperation> parked = phone.sync().parkedOperations();
        assertThat(parked).hasSize(1);
        assertThat(parked.get(0).httpStatus()).isIn(409, 412);
        assertThat(parked.get(0).serverRecord().get("note").asText()).isEqualTo("changed on the server");
        assertThat(phone.sync().push().pushed()).isZero();

        ObjectNode merged = parked.get(0).serverRecord();
        merged.put("text", "oat milk, merged by hand");
        phone.sync().resolve(parked.get(0), ConflictResolution.merge(merged));
        PushResult after = phone.sync().push();

        assertThat(after.pushed()).isEqualTo(1);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.record("todoitem", "a").get("text").asText())
                .isEqualTo("oat milk, merged by hand");
        assertThat(fixture.server.record("todoitem", "a").get("note").asText())
                .isEqualTo("changed on the server");
    }

    @SyncTest
    void aParkedConflictCanBeResolvedByKeepingMineOrTakingTheServers(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        fixture.server.write("todoitem", todo("b", "bread"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("a", "server a"));
        fixture.server.write("todoitem", todo("b", "server b"));
        phone.todos().update(todo("a", "mine a"));
        phone.todos().update(todo("b", "mine b"));
        phone.sync().push();
        List<PendingOperation> parked = new ArrayList<>(phone.sync().parkedOperations());
        assertThat(parked).extracting(PendingOperation::itemId).containsExactly("a", "b");

        phone.sync().resolve(parked.get(0), ConflictResolution.keepClient());
        phone.sync().resolve(parked.get(1), ConflictResolution.takeServer());
        phone.sync().push();

        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("mine a");
        assertThat(phone.text("b")).isEqualTo("server b");
        assertThatThrownBy(() -> phone.sync().resolve(parked.get(1), ConflictResolution.keepClient()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no longer queued");
    }

    @SyncTest
    void aDeleteMeetingAChangedRecordIsAConflictToo(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("a", "still needed"));
        phone.todos().deleteById("a");

        PushResult result = phone.sync().push();

        assertThat(result.resolved()).isEqualTo(1);
        assertThat(phone.text("a")).isEqualTo("still needed");
        assertThat(fixture.server.record("todoitem", "a").get("deleted").asBoolean()).isFalse();
    }

    @SyncTest
    void aHandlerThatThrowsParksTheConflict(SyncFixture fixture) {
        SyncFixture.Device phone = conflicting(fixture, conflict -> {
            throw new IllegalStateException("handler bug");
        }, new RecordingSyncListener());

        PushResult result = phone.sync().push();

        assertThat(result.parked()).hasSize(1);
    }

    @SyncTest
    void aMergedRecordWithAnotherIdIsParkedNotApplied(SyncFixture fixture) {
        SyncFixture.Device phone = conflicting(fixture,
                conflict -> ConflictResolution.merge(todo("someone-else", "x")), new RecordingSyncListener());

        PushResult result = phone.sync().push();

        assertThat(result.parked()).extracting(PendingOperation::reason).singleElement().asString()
                .contains("invalid").contains("someone-else");
        assertThat(phone.todos().lookup("someone-else")).isEmpty();
    }
}
