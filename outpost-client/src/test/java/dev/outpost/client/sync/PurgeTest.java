package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;
import dev.outpost.client.testing.Target;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.Query;

class PurgeTest {
    @SyncTest(Target.FAKE_NATIVE)
    void purgeRemovesTheRowsAndResetsTheCursorSoTheNextPullBringsThemBack(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        fixture.server.write("todoitem", todo("b", "bread").put("complete", true));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        phone.sync().defineTable(TableDefinition.builder("todoitem").column("complete", ColumnType.BOOLEAN)
                .build());

        PurgeResult purged = phone.todos().purge(Query.builder()
                .filter(FilterParser.defaults().parseFilter("complete eq true")).build(), false);

        assertThat(purged).isEqualTo(new PurgeResult(1, 0, 1));
        assertThat(phone.todos().lookup("b")).isEmpty();
        assertThat(phone.todos().lookup("a")).isPresent();
        assertThat(phone.todos().pull("all").upserted()).isEqualTo(2);
    }

    @SyncTest(Target.FAKE_NATIVE)
    void purgeRefusesATableWithPendingOperations(SyncFixture fixture) {
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().insert(todo("a", "milk"));

        assertThatThrownBy(() -> phone.todos().purge(Query.all(), false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("1 pending operation");
        assertThat(phone.todos().lookup("a")).isPresent();
        assertThat(phone.sync().pendingOperations()).hasSize(1);
    }

    @SyncTest(Target.FAKE_NATIVE)
    void aForcedPurgeDropsThePendingOperationsAndSaysSo(SyncFixture fixture) {
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().insert(todo("a", "milk"));
        phone.todos().insert(todo("b", "bread"));

        PurgeResult purged = phone.todos().purge(Query.all(), true);

        assertThat(purged.removed()).isEqualTo(2);
        assertThat(purged.droppedOperations()).isEqualTo(2);
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(phone.sync().push().pushed()).isZero();
        assertThat(fixture.server.liveRecords("todoitem")).isEmpty();
    }
}
