package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;

/**
 * A response lost after the server applied the request (the proxy cuts the connection as the answer starts) is
 * harmless: the operation stays queued, and the next push recognises it as applied, on the native batch path and
 * on the v2/v3 single-request path alike.
 */
class LostResponseTest {
    private static SyncFixture.Device warmedUp(SyncFixture fixture) {
        SyncFixture.Device device = fixture.device("phone", ConflictHandlers.park());
        device.todos().pull("all");
        return device;
    }

    @SyncTest
    void insertAfterLostResponseIsRecognisedNotDuplicated(SyncFixture fixture) {
        SyncFixture.Device phone = warmedUp(fixture);
        phone.todos().insert(todo("a", "milk"));

        fixture.proxy.loseNextResponses(1);
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);
        assertThat(phone.sync().pendingOperations()).hasSize(1);
        assertThat(fixture.server.record("todoitem", "a")).isNotNull();

        PushResult again = phone.sync().push();

        assertThat(again.pushed()).isEqualTo(1);
        assertThat(again.alreadyApplied()).isEqualTo(1);
        assertThat(again.parked()).isEmpty();
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.liveRecords("todoitem")).hasSize(1);
        assertThat(phone.todos().lookup("a").orElseThrow().get("version").asText())
                .isEqualTo(fixture.server.record("todoitem", "a").get("version").asText());
    }

    @SyncTest
    void updateAfterLostResponseIsRecognisedNotAConflict(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = warmedUp(fixture);
        phone.todos().update(todo("a", "oat milk"));

        fixture.proxy.loseNextResponses(1);
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);
        PushResult again = phone.sync().push();

        assertThat(again.parked()).isEmpty();
        assertThat(again.pushed()).isEqualTo(1);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("oat milk");
    }

    @SyncTest
    void deleteAfterLostResponseIsRecognisedNotAnError(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = warmedUp(fixture);
        phone.todos().deleteById("a");

        fixture.proxy.loseNextResponses(1);
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);
        PushResult again = phone.sync().push();

        assertThat(again.parked()).isEmpty();
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.record("todoitem", "a").get("deleted").asBoolean()).isTrue();
    }

    @SyncTest
    void insertWhoseAnswerWasLostThenEditedLocallyIsSentAsAnUpdate(SyncFixture fixture) {
        SyncFixture.Device phone = warmedUp(fixture);
        phone.todos().insert(todo("a", "milk"));
        fixture.proxy.loseNextResponses(1);
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);

        phone.todos().update(todo("a", "oat milk"));
        PushResult again = phone.sync().push();

        assertThat(again.parked()).isEmpty();
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.liveRecords("todoitem")).hasSize(1);
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("oat milk");
        assertThat(phone.text("a")).isEqualTo("oat milk");
    }

    @SyncTest
    void anInsertAppliedByAnAttemptBeforeTheLastIsRecognisedNotParked(SyncFixture fixture) {
        // Found by the convergence run: the first attempt is applied and its answer lost, the record is edited, the
        // second attempt never reaches the server; the third meets the first attempt's content on the server.
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.todos().insert(todo("a", "milk"));
        fixture.proxy.loseNextResponses(1);
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);
        phone.todos().update(todo("a", "oat milk"));
        fixture.proxy.refuseConnections(true);
        fixture.proxy.cutAll();
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);
        fixture.proxy.refuseConnections(false);

        PushResult third = phone.sync().push();

        assertThat(third.parked()).isEmpty();
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.record("todoitem", "a").get("text").asText()).isEqualTo("oat milk");
        assertThat(phone.text("a")).isEqualTo("oat milk");
    }

    @SyncTest
    void aDeleteOfARecordWhoseUpdateWasAppliedWithItsAnswerLostIsNotAConflict(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.todos().update(todo("a", "oat milk"));
        fixture.proxy.loseNextResponses(1);
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);
        phone.todos().deleteById("a");

        PushResult again = phone.sync().push();

        assertThat(again.parked()).isEmpty();
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.liveRecords("todoitem")).isEmpty();
    }

    @SyncTest
    void aLostBatchOfManyOperationsIsSentAgainWithoutDuplicates(SyncFixture fixture) {
        SyncFixture.Device phone = warmedUp(fixture);
        for (int i = 0; i < 20; i++) {
            phone.todos().insert(todo("id" + i, "item " + i));
        }

        fixture.proxy.loseNextResponses(1);
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class);
        PushResult again = phone.sync().push();

        assertThat(again.parked()).isEmpty();
        assertThat(again.pushed()).isEqualTo(20);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(fixture.server.liveRecords("todoitem")).hasSize(20);
    }
}
