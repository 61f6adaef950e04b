package dev.outpost.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.sync.OperationKind;
import dev.outpost.server.FakeClock;
import dev.outpost.server.internal.sql.TableClock;
import dev.outpost.server.internal.store.BatchPush.Outcome;
import dev.outpost.server.internal.store.BatchPush.Status;
import dev.outpost.server.internal.store.BatchPush.Write;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native batch push at the store level: runs of inserts applied set-wise answer exactly as the per-operation
 * path, keep every invariant, and fall back to the per-operation path when they fail. The repository binds at most
 * {@value #MAX_PARAMETERS} parameters per statement here, so that every set-wise statement comes in many chunks.
 */
class BatchPushTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PARAMETERS = 64;
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    private static final String WRONG_VERSION = "AAAAAAAAAAA=";

    /** A fresh database with the tables {@code notes} (soft delete) and {@code hard} (hard delete). */
    private static final class Store implements AutoCloseable {
        private final TestDatabase db;
        private final String url;
        private final Database database;
        private final TableRepository repository;
        private final TableSchema notes;
        private final TableSchema hard;
        private final BatchPush push;
        private final BatchPush perOperation;

        Store(TestDatabase db, boolean setWise, Clock clock) {
            this.db = db;
            this.url = db.createUrl();
            this.database = Database.open(url, 4);
            SchemaStore schemas = new SchemaStore(database);
            schemas.createTable(new TableSchema("notes", true, false, List.of(
                    new Column("text", "text", ColumnType.STRING, false),
                    new Column("n", "n", ColumnType.INTEGER, false))));
            schemas.createTable(new TableSchema("hard", false, false, List.of(
                    new Column("text", "text", ColumnType.STRING, false))));
            Map<String, TableSchema> byName = new HashMap<>();
            schemas.loadAll().forEach(schema -> byName.put(schema.name(), schema));
            this.notes = byName.get("notes");
            this.hard = byName.get("hard");
            this.repository = new TableRepository(database, MAX_PARAMETERS);
            this.push = new BatchPush(database, repository, clock, false, setWise);
            this.perOperation = new BatchPush(database, repository, clock, false, false);
        }

        Write insert(String op, TableSchema schema, String id, String text) {
            Map<Column, Object> values = new HashMap<>();
            values.put(schema.column("text"), text);
            if (schema == notes) {
                values.put(notes.column("n"), (long) text.length());
            }
            return new Write(op, schema, OperationKind.INSERT, id, null, values);
        }

        Write update(String op, TableSchema schema, String id, String version, String text) {
            return new Write(op, schema, OperationKind.UPDATE, id, version, Map.of(schema.column("text"), text));
        }

        Write delete(String op, TableSchema schema, String id) {
            return new Write(op, schema, OperationKind.DELETE, id, null, Map.of());
        }

        /** Every row of {@code schema}, by id. */
        JsonNode rows(TableSchema schema) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
                generator.writeStartArray();
                repository.stream(schema, new TableRepository.Select(schema.columns(), null,
                        List.of(new TableRepository.Sort(schema.column("id"), false)), 0, 100_000), generator);
                generator.writeEndArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                return JSON.readTree(out.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The operation log: result by operation id. */
        Map<String, JsonNode> log() {
            return database.read(connection -> {
                Map<String, JsonNode> log = new LinkedHashMap<>();
                try (Statement statement = connection.createStatement();
                     ResultSet rs = statement.executeQuery(
                             "SELECT operation_id, result FROM outpost_operations ORDER BY operation_id")) {
                    while (rs.next()) {
                        log.put(rs.getString(1), JSON.readTree(rs.getString(2)));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return log;
            });
        }

        @Override
        public void close() {
            database.close();
            db.drop(url);
        }
    }

    /** Records applied before the batch, one at a time: {@code old}, the tombstone {@code gone}, {@code h-old}. */
    private static void setUp(Store s) {
        s.perOperation.apply(List.of(s.insert("s1", s.notes, "old", "stored")));
        s.perOperation.apply(List.of(s.insert("s2", s.notes, "gone", "to delete")));
        s.perOperation.apply(List.of(s.delete("s3", s.notes, "gone")));
        s.perOperation.apply(List.of(s.insert("s4", s.hard, "h-old", "stored")));
    }

    /** A batch of every kind of outcome, with runs of inserts among updates and deletes. */
    private static List<Write> mixedBatch(Store s) {
        List<Write> writes = new ArrayList<>(List.of(
                s.insert("o01", s.notes, "a", "a1"),
                s.insert("o02", s.notes, "b", "b1"),
                s.insert("o03", s.notes, "old", "client old"),
                s.insert("o04", s.notes, "a", "a again"),
                s.insert("o05", s.notes, "gone", "revived?"),
                s.insert("o06", s.notes, "old", "client old again"),
                s.insert("o07", s.notes, "c", "c1"),
                s.update("o08", s.notes, "a", null, "a2"),
                s.insert("o09", s.notes, "a", "a3")));
        for (int i = 0; i < 30; i++) {
            writes.add(s.insert(String.format("o1%02d", i), s.notes, String.format("m%02d", i), "many " + i));
        }
        writes.addAll(List.of(
                s.insert("o40", s.hard, "h1", "h1"),
                s.insert("o41", s.hard, "h-old", "client h-old"),
                s.insert("o42", s.hard, "h1", "h1 again"),
                s.delete("o43", s.notes, "b"),
                s.insert("o44", s.notes, "b", "b again"),
                s.update("o45", s.notes, "nope", null, "x"),
                s.delete("o46", s.notes, "nope"),
                s.update("o47", s.notes, "gone", null, "x"),
                s.update("o48", s.notes, "a", WRONG_VERSION, "stale"),
                s.delete("o49", s.hard, "h1"),
                s.insert("o50", s.hard, "h1", "h1 reborn"),
                s.insert("o51", s.hard, "h2", "h2"),
                s.insert("o52", s.notes, "d", "d1"),
                s.insert("s1", s.notes, "old", "applied before"),
                s.insert("o53", s.notes, "e", "e1"),
                s.update("s2", s.notes, "gone", null, "applied before")));
        return writes;
    }

    private static List<String> statuses(List<Outcome> outcomes) {
        List<String> statuses = new ArrayList<>();
        outcomes.forEach(outcome -> statuses.add(outcome.status().name()));
        return statuses;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void runsOfInsertsAnswerExactlyAsThePerOperationPathAndAResentBatchWritesNothing(TestDatabase db) {
        try (Store setWise = new Store(db, true, new FakeClock(START));
             Store reference = new Store(db, false, new FakeClock(START))) {
            setUp(setWise);
            setUp(reference);

            List<Outcome> outcomes = setWise.push.apply(mixedBatch(setWise));
            List<Outcome> expected = reference.push.apply(mixedBatch(reference));

            List<String> statuses = new ArrayList<>(List.of("APPLIED", "APPLIED", "DUPLICATE_ID", "DUPLICATE_ID",
                    "DUPLICATE_ID", "DUPLICATE_ID", "APPLIED", "APPLIED", "DUPLICATE_ID"));
            for (int i = 0; i < 30; i++) {
                statuses.add("APPLIED");
            }
            statuses.addAll(List.of("APPLIED", "DUPLICATE_ID", "DUPLICATE_ID", "APPLIED", "DUPLICATE_ID",
                    "NOT_FOUND", "APPLIED", "GONE", "VERSION_CONFLICT", "APPLIED", "APPLIED", "APPLIED", "APPLIED",
                    "ALREADY_APPLIED", "APPLIED", "ALREADY_APPLIED"));
            assertThat(statuses(outcomes)).containsExactlyElementsOf(statuses);
            // Same statuses, same items (system columns included: the clock stands still, so every updatedAt is
            // the clock's last value + 1 in both), same rows, same operation log.
            assertThat(outcomes).containsExactlyElementsOf(expected);
            assertThat(setWise.rows(setWise.notes)).isEqualTo(reference.rows(reference.notes));
            assertThat(setWise.rows(setWise.hard)).isEqualTo(reference.rows(reference.hard));
            assertThat(setWise.log()).isEqualTo(reference.log());
            // The duplicates answer with the record that has the id: stored, inserted earlier in the run, updated.
            assertThat(outcomes.get(2).item().get("text").asText()).isEqualTo("stored");
            assertThat(outcomes.get(3).item()).isEqualTo(outcomes.get(0).item());
            assertThat(outcomes.get(4).item().get("deleted").asBoolean()).isTrue();
            assertThat(outcomes.get(8).item().get("text").asText()).isEqualTo("a2");
            assertThat(outcomes.get(41).item().get("text").asText()).isEqualTo("h1");
            assertThat(outcomes.get(43).item().get("deleted").asBoolean()).isTrue();
            assertThat(outcomes.get(52).item().get("text").asText()).isEqualTo("stored");

            JsonNode notesBefore = setWise.rows(setWise.notes);
            JsonNode hardBefore = setWise.rows(setWise.hard);
            Map<String, JsonNode> logBefore = setWise.log();
            List<Outcome> again = setWise.push.apply(mixedBatch(setWise));

            assertThat(again).containsExactlyElementsOf(reference.push.apply(mixedBatch(reference)));
            for (int i = 0; i < outcomes.size(); i++) {
                if (outcomes.get(i).status() == Status.APPLIED) {
                    // The stored result (compared as text: read back from JSON text, a number is an int, not a long).
                    assertThat(again.get(i).status()).isEqualTo(Status.ALREADY_APPLIED);
                    assertThat(again.get(i).item().toString()).isEqualTo(outcomes.get(i).item().toString());
                } else {
                    assertThat(again.get(i).status()).isEqualTo(outcomes.get(i).status());
                }
            }
            assertThat(setWise.rows(setWise.notes)).isEqualTo(notesBefore);
            assertThat(setWise.rows(setWise.hard)).isEqualTo(hardBefore);
            assertThat(setWise.log()).isEqualTo(logBefore);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLargeBatchOfInsertsStoresEveryRecordWithItsOwnUpdatedAtInOperationOrder(TestDatabase db) {
        try (Store store = new Store(db, true, Clock.systemUTC())) {
            List<Write> writes = new ArrayList<>();
            for (int i = 0; i < 1_200; i++) {
                // Ids in no particular order, so that id order is not updatedAt order by chance.
                writes.add(store.insert("op" + i, store.notes, "r" + ((i * 7_919) % 1_200), "text " + i));
            }

            List<Outcome> outcomes = store.push.apply(writes);

            Map<String, JsonNode> stored = new HashMap<>();
            store.rows(store.notes).forEach(row -> stored.put(row.get("id").asText(), row));
            assertThat(stored).hasSize(1_200);
            Map<String, JsonNode> log = store.log();
            assertThat(log).hasSize(1_200);
            String previous = "";
            for (int i = 0; i < writes.size(); i++) {
                Outcome outcome = outcomes.get(i);
                JsonNode row = stored.get(writes.get(i).itemId());
                assertThat(outcome.status()).isEqualTo(Status.APPLIED);
                // (as text: a number read back from JSON text is an int where the record holds a long)
                assertThat(outcome.item().toString()).isEqualTo(row.toString());
                assertThat(row.get("text").asText()).isEqualTo("text " + i);
                assertThat(row.get("updatedAt").asText()).isGreaterThan(previous);
                assertThat(log.get("op" + i).toString()).isEqualTo(row.toString());
                previous = row.get("updatedAt").asText();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aRunThatFailsInSqlIsRolledBackAndAppliedOperationByOperation(TestDatabase db) {
        try (Store store = new Store(db, true, Clock.systemUTC());
             Store reference = new Store(db, false, Clock.systemUTC())) {
            setUp(store);
            setUp(reference);
            AtomicBoolean failed = new AtomicBoolean();
            store.push.runHook(connection -> {
                if (failed.compareAndSet(false, true)) {
                    // Leaves a change behind, then fails in SQL (which aborts the transaction on PostgreSQL).
                    store.repository.insert(connection, TableClock.unsafe(Clock.systemUTC()), store.notes, "m05",
                            Map.of());
                    try (Statement statement = connection.createStatement()) {
                        statement.execute("SELECT * FROM no_such_table");
                    }
                }
            });

            List<Write> writes = mixedBatch(store);
            List<Outcome> outcomes = store.push.apply(writes);
            List<Outcome> expected = reference.push.apply(mixedBatch(reference));

            assertThat(failed).isTrue();
            assertThat(withoutTimes(outcomes)).isEqualTo(withoutTimes(expected));
            assertThat(withoutTimes(store.rows(store.notes))).isEqualTo(withoutTimes(reference.rows(reference.notes)));
            assertThat(withoutTimes(store.rows(store.hard))).isEqualTo(withoutTimes(reference.rows(reference.hard)));
            assertThat(store.log().keySet()).isEqualTo(reference.log().keySet());
            assertUpdatedAtIncreasesInOperationOrder(writes, outcomes);
        }
    }

    @Test
    void anIdInsertedByAConcurrentWriterOnPostgresqlIsADuplicateAndTheRunIsAppliedOperationByOperation() {
        try (Store store = new Store(TestDatabase.POSTGRES, true, Clock.systemUTC())) {
            AtomicBoolean inserted = new AtomicBoolean();
            store.push.runHook(connection -> {
                if (inserted.compareAndSet(false, true)) {
                    // Another writer, which does not take the table clock, commits a record with an id of the run
                    // after the run read which ids exist.
                    try (Connection other = store.database.connection()) {
                        store.repository.insert(other, TableClock.unsafe(Clock.systemUTC()), store.notes, "m05",
                                Map.of(store.notes.column("text"), "other writer"));
                    }
                }
            });
            List<Write> writes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                writes.add(store.insert("op" + i, store.notes, "m0" + i, "batch " + i));
            }

            List<Outcome> outcomes = store.push.apply(writes);

            assertThat(inserted).isTrue();
            for (int i = 0; i < 10; i++) {
                assertThat(outcomes.get(i).status()).isEqualTo(i == 5 ? Status.DUPLICATE_ID : Status.APPLIED);
                assertThat(outcomes.get(i).item().get("text").asText()).isEqualTo(i == 5 ? "other writer"
                        : "batch " + i);
            }
            assertThat(store.rows(store.notes)).hasSize(10);
            assertThat(store.log()).hasSize(9).doesNotContainKey("op5");
            assertThat(store.repository.find(store.notes, "m05").get("text").asText()).isEqualTo("other writer");
        }
    }

    /** Asserts that the records written by {@code writes} have increasing updatedAt per table. */
    private static void assertUpdatedAtIncreasesInOperationOrder(List<Write> writes, List<Outcome> outcomes) {
        Map<String, String> previous = new HashMap<>();
        for (int i = 0; i < writes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (outcome.status() == Status.APPLIED && outcome.item().has("updatedAt")) {
                String table = writes.get(i).schema().key();
                assertThat(outcome.item().get("updatedAt").asText()).isGreaterThan(previous.getOrDefault(table, ""));
                previous.put(table, outcome.item().get("updatedAt").asText());
            }
        }
    }

    /** The outcomes without their times and versions, which differ from run to run. */
    private static List<String> withoutTimes(List<Outcome> outcomes) {
        List<String> stripped = new ArrayList<>();
        for (Outcome outcome : outcomes) {
            stripped.add(outcome.status() + " " + withoutTimes(outcome.item()));
        }
        return stripped;
    }

    private static JsonNode withoutTimes(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            object.remove(List.of("createdAt", "updatedAt", "version"));
        }
        node.forEach(BatchPushTest::strip);
    }
}
