package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.exception.ServerUnavailableException;
import dev.outpost.client.testing.FailingLocalStore;
import dev.outpost.client.testing.RecordingSyncListener;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;
import dev.outpost.client.testing.Target;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.Query;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;

/** Incremental pull: exact, resumable, and never over a pending local change. */
class PullTest {
    @SyncTest
    void manyRecordsWrittenInOneMillisecondArePulledExactlyOnce(SyncFixture fixture, Target mode) {
        fixture.server.freezeClock(Instant.parse("2026-11-24T10:00:00.123Z"));
        int count = mode.recordsInOneMillisecond();
        for (int i = 0; i < count; i++) {
            fixture.server.write("todoitem", todo(String.format("id%05d", i), "item " + i));
        }
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins());

        PullResult first = phone.todos().pull("all");
        PullResult second = phone.todos().pull("all");

        assertThat(first.upserted()).isEqualTo(count);
        assertThat(second.upserted()).isZero();
        assertThat(phone.todos().query().includeTotalCount().top(0).list().totalCount()).hasValue(count);
    }

    @SyncTest({Target.FAKE_NATIVE, Target.FAKE_V2, Target.FAKE_V3})
    void aPullInterruptedBetweenPagesResumesWithoutGapsOrDuplicates(SyncFixture fixture, Target mode) {
        fixture.server.freezeClock(Instant.parse("2026-11-24T10:00:00.123Z"));
        int count = mode.recordsOverTwoPages();
        for (int i = 0; i < count; i++) {
            if (i == count / 2) {
                fixture.server.freezeClock(Instant.parse("2026-11-24T10:00:00.124Z"));
            }
            fixture.server.write("todoitem", todo(String.format("id%05d", i), "item " + i));
        }
        RecordingSyncListener events = new RecordingSyncListener();
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins(), events);
        fixture.fake().failRequests(mode.pullPagePath("todoitem"), 1);

        assertThatThrownBy(() -> phone.todos().pull("all")).isInstanceOf(ServerUnavailableException.class);
        long afterFirstPage = phone.todos().query().includeTotalCount().top(0).list().totalCount().orElseThrow();
        assertThat(afterFirstPage).isPositive().isLessThan(count);
        assertThat(events.events()).contains("pullFailed ServerUnavailableException");

        fixture.fake().failRequests(null, -1);
        PullResult resumed = phone.todos().pull("all");

        assertThat(afterFirstPage + resumed.upserted()).isEqualTo(count);
        assertThat(phone.todos().query().includeTotalCount().top(0).list().totalCount()).hasValue(count);
    }

    @SyncTest
    void aPullStoppedBetweenPagesResumesWithoutGapsOrDuplicates(SyncFixture fixture, Target mode) {
        int count = mode.recordsOverOnePage();
        for (int i = 0; i < count; i++) {
            fixture.server.write("todoitem", todo(String.format("id%05d", i), "item " + i));
        }
        FailingLocalStore[] store = new FailingLocalStore[1];
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins(), SyncListener.NONE,
                s -> store[0] = new FailingLocalStore(s));
        store[0].failWritesTo("todoitem", 1);

        assertThatThrownBy(() -> phone.todos().pull("all")).isInstanceOf(LocalStoreException.class);
        long afterFirstPage = phone.todos().query().includeTotalCount().top(0).list().totalCount().orElseThrow();
        store[0].failWritesTo(null);
        PullResult resumed = phone.todos().pull("all");

        assertThat(afterFirstPage).isPositive().isLessThan(count);
        assertThat(afterFirstPage + resumed.upserted()).isEqualTo(count);
        assertThat(phone.todos().query().includeTotalCount().top(0).list().totalCount()).hasValue(count);
    }

    @SyncTest
    void pulledRecordsNeverOverwriteRowsWithPendingOperations(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().pull("all");
        fixture.server.write("todoitem", todo("a", "server edit"));
        phone.todos().update(todo("a", "my edit"));
        phone.sync().push();
        assertThat(phone.sync().parkedOperations()).hasSize(1);

        PullResult result = phone.todos().pull("all");

        assertThat(result.skipped()).isEqualTo(1);
        assertThat(phone.text("a")).isEqualTo("my edit");
    }

    @SyncTest
    void aPullOnATableWithPendingOperationsPushesFirst(SyncFixture fixture) {
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());
        phone.todos().insert(todo("a", "milk"));

        PullResult result = phone.todos().pull("all");

        assertThat(fixture.server.record("todoitem", "a")).isNotNull();
        assertThat(phone.sync().pendingOperations()).isEmpty();
        assertThat(result.upserted()).isEqualTo(1);
        assertThat(phone.todos().lookup("a").orElseThrow().get("version").isTextual()).isTrue();
    }

    @SyncTest
    void aFilteredPullBringsOnlyMatchingRecordsAndKeepsItsOwnCursor(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        fixture.server.write("todoitem", todo("b", "bread").put("complete", true));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());

        PullResult open = phone.todos().pull(Query.builder()
                .filter(FilterParser.defaults().parseFilter("complete eq false")).build(), "open");

        assertThat(open.upserted()).isEqualTo(1);
        assertThat(phone.todos().lookup("b")).isEmpty();
        assertThat(phone.todos().pull("all").upserted()).isEqualTo(2);
    }

    @SyncTest
    void propertiesTheLocalTableDoesNotDefineSurviveAPull(SyncFixture fixture, Target mode) {
        Assumptions.assumeTrue(mode.hasDynamicSchema(), "the server's table has a declared schema");
        ObjectNode record = todo("a", "milk");
        record.putObject("addedLater").put("nested", 1);
        fixture.server.write("todoitem", record);
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());

        phone.todos().pull("all");
        phone.todos().update(phone.todos().lookup("a").orElseThrow().put("text", "oat milk"));
        phone.sync().push();

        assertThat(fixture.server.record("todoitem", "a").get("addedLater").get("nested").asInt()).isEqualTo(1);
    }

    @SyncTest
    void aFullPullWithoutQueryIdSavesNoCursor(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("a", "milk"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.park());

        assertThat(phone.todos().pull(Query.all(), null).upserted()).isEqualTo(1);
        assertThat(phone.todos().pull(Query.all(), null).upserted()).isEqualTo(1);
    }

    /**
     * Why v2/v3 pulls page by a keyset and not by {@code $skip}: when a record already pulled changes while the pull
     * walks one timestamp, every later record shifts one place forward, and a skip offset jumps over one of them.
     */
    @SyncTest({Target.FAKE_V2, Target.FAKE_V3})
    void aRecordChangedWhileAPullWalksOneTimestampMakesNoOtherRecordBeMissed(SyncFixture fixture) {
        fixture.server.freezeClock(Instant.parse("2026-11-24T10:00:00.123Z"));
        for (int i = 0; i < 120; i++) {
            fixture.server.write("todoitem", todo(String.format("id%05d", i), "item " + i));
        }
        fixture.server.freezeClock(null);
        java.util.concurrent.atomic.AtomicInteger pages = new java.util.concurrent.atomic.AtomicInteger();
        fixture.fake().onRequest(request -> {
            if (request.getMethod().equals("GET") && pages.incrementAndGet() == 2) {
                fixture.server.write("todoitem", todo("id00003", "changed during the pull"));
            }
        });
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins());

        phone.todos().pull("all");

        assertThat(phone.todos().query().includeTotalCount().top(0).list().totalCount()).hasValue(120);
        assertThat(phone.text("id00003")).isEqualTo("changed during the pull");
    }
}
