package dev.outpost.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.internal.sql.TableClock;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.testing.TestDatabase;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Group commit at the store level: every write commits or fails alone, whatever shares its transaction. */
class GroupCommitterTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aWriteFailingInSqlFailsAloneAndTheOthersCommit(TestDatabase db) throws Exception {
        String url = db.createUrl();
        try (Database database = Database.open(url, 4);
             GroupCommitter committer = new GroupCommitter(database, Clock.systemUTC(), false, 256)) {
            SchemaStore schemas = new SchemaStore(database);
            schemas.createTable(new TableSchema("things", true, false, List.of()));
            TableSchema things = schemas.loadAll().get(0);
            TableRepository repository = new TableRepository(database);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Object>> results = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    String id = "t" + i;
                    boolean broken = i % 10 == 7;
                    boolean duplicate = i % 10 == 3 && i > 10;
                    results.add(pool.submit(() -> committer.write(things, (connection, clock) -> {
                        if (broken) {
                            try (Statement statement = connection.createStatement()) {
                                statement.execute("SELECT * FROM no_such_table");
                            }
                        }
                        return repository.insert(connection, clock, things, duplicate ? "t3" : id, Map.of());
                    })));
                }
                int committed = 0;
                int failedInSql = 0;
                int duplicates = 0;
                for (Future<Object> result : results) {
                    try {
                        result.get();
                        committed++;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof StoreException) {
                            failedInSql++;
                        } else if (e.getCause() instanceof DuplicateIdException) {
                            duplicates++;
                        }
                    }
                }
                assertThat(failedInSql).isEqualTo(4);
                assertThat(duplicates).isEqualTo(3);
                assertThat(committed).isEqualTo(33);
                assertThat(repository.count(things, null)).isEqualTo(33);
            } finally {
                pool.shutdownNow();
            }
        } finally {
            db.drop(url);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void insertsAppliedTogetherAnswerAsInsertsOneAfterTheOther(TestDatabase db) throws Exception {
        String url = db.createUrl();
        try (Database database = Database.open(url, 4)) {
            SchemaStore schemas = new SchemaStore(database);
            schemas.createTable(new TableSchema("notes", true, false, List.of(
                    new Column("text", "text", ColumnType.STRING, false),
                    new Column("done", "done", ColumnType.BOOLEAN, false))));
            TableSchema notes = schemas.loadAll().get(0);
            TableRepository repository = new TableRepository(database);
            database.write(connection -> repository.insert(connection, TableClock.lock(connection, notes.key(),
                    Clock.systemUTC()), notes, "old", values(notes, "before", true)));

            List<GroupCommitter.Outcome<ObjectNode>> outcomes = database.write(connection -> {
                TableClock clock = TableClock.lock(connection, notes.key(), Clock.systemUTC());
                GroupCommitter.Batchable<ObjectNode> first = repository.insertion(notes, "a",
                        values(notes, "été ✓ \"quoted\"", false));
                List<GroupCommitter.Batchable<?>> writes = List.of(first,
                        repository.insertion(notes, "b", values(notes, null, null)),
                        repository.insertion(notes, "a", values(notes, "second a", true)),
                        repository.insertion(notes, "old", values(notes, "second old", false)),
                        repository.insertion(notes, "c", values(notes, "", true)));
                assertThat(writes.get(0).batchesWith(writes.get(4))).isTrue();
                return first.applyAll(connection, clock, writes);
            });

            assertThat(outcomes).hasSize(5);
            ObjectNode a = applied(outcomes.get(0));
            ObjectNode b = applied(outcomes.get(1));
            ObjectNode c = applied(outcomes.get(4));
            assertThat(a.path("id").asText()).isEqualTo("a");
            assertThat(a.path("text").asText()).isEqualTo("été ✓ \"quoted\"");
            assertThat(a.path("done").asBoolean()).isFalse();
            assertThat(b.path("text").isNull()).isTrue();
            assertThat(b.path("done").isNull()).isTrue();
            assertThat(c.path("text").asText()).isEmpty();
            // Each its own updatedAt, in list order, as separate inserts would have had.
            assertThat(a.path("updatedAt").asText()).isLessThan(b.path("updatedAt").asText());
            assertThat(b.path("updatedAt").asText()).isLessThan(c.path("updatedAt").asText());
            // A duplicate of an earlier record of the same statement, or of a stored one, fails alone with it.
            assertThat(refusal(outcomes.get(2))).isInstanceOfSatisfying(DuplicateIdException.class,
                    e -> assertThat(e.existing()).isEqualTo(a));
            assertThat(refusal(outcomes.get(3))).isInstanceOfSatisfying(DuplicateIdException.class,
                    e -> assertThat(e.existing().path("text").asText()).isEqualTo("before"));
            assertThat(repository.count(notes, null)).isEqualTo(4);
            assertThat(repository.find(notes, "a")).isEqualTo(a);
        } finally {
            db.drop(url);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void queuedInsertsCommitTogetherAndDuplicatesFailAlone(TestDatabase db) throws Exception {
        String url = db.createUrl();
        try (Database database = Database.open(url, 4);
             GroupCommitter committer = new GroupCommitter(database, Clock.systemUTC(), false, 256)) {
            SchemaStore schemas = new SchemaStore(database);
            schemas.createTable(new TableSchema("things", true, false, List.of()));
            TableSchema things = schemas.loadAll().get(0);
            TableRepository repository = new TableRepository(database);
            ExecutorService pool = Executors.newFixedThreadPool(24);
            CountDownLatch release = new CountDownLatch(1);
            try {
                // A first write holds the table's writer, so that the inserts queue up behind it and are applied as
                // one batch (the outcome must be the same however they are batched).
                CountDownLatch blocking = new CountDownLatch(1);
                Future<Object> blocker = pool.submit(() -> committer.write(things, (connection, clock) -> {
                    blocking.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                }));
                blocking.await();
                List<Future<ObjectNode>> results = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    String id = i % 5 == 4 ? "dup" : "t" + i;
                    results.add(pool.submit(() -> committer.write(things,
                            repository.insertion(things, id, Map.of()))));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> committer.waiting(things) == 20);
                release.countDown();
                blocker.get();
                int committed = 0;
                int duplicates = 0;
                for (Future<ObjectNode> result : results) {
                    try {
                        result.get();
                        committed++;
                    } catch (ExecutionException e) {
                        assertThat(e.getCause()).isInstanceOf(DuplicateIdException.class);
                        duplicates++;
                    }
                }
                assertThat(committed).isEqualTo(17);
                assertThat(duplicates).isEqualTo(3);
                assertThat(repository.count(things, null)).isEqualTo(17);
            } finally {
                pool.shutdownNow();
            }
        } finally {
            db.drop(url);
        }
    }

    private static Map<Column, Object> values(TableSchema schema, String text, Boolean done) {
        Map<Column, Object> values = new HashMap<>();
        values.put(schema.column("text"), text);
        values.put(schema.column("done"), done);
        return values;
    }

    private static ObjectNode applied(GroupCommitter.Outcome<ObjectNode> outcome) {
        assertThat(outcome).isInstanceOf(GroupCommitter.Outcome.Applied.class);
        return ((GroupCommitter.Outcome.Applied<ObjectNode>) outcome).result();
    }

    private static Exception refusal(GroupCommitter.Outcome<ObjectNode> outcome) {
        assertThat(outcome).isInstanceOf(GroupCommitter.Outcome.Refused.class);
        return ((GroupCommitter.Outcome.Refused<ObjectNode>) outcome).reason();
    }
}
