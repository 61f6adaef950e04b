package dev.outpost.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.table.TableSchema;
import dev.outpost.testing.TestDatabase;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
}
