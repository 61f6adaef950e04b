package dev.outpost.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.protocol.Timestamps;
import dev.outpost.server.internal.sql.TableClock;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Streamed pages of the repository: small pages in one round trip, pages over a chunk fetched in chunks. */
class TableRepositoryTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void pagesSmallerAndLargerThanAChunkStreamEveryRowInOrder(TestDatabase db) {
        String url = db.createUrl();
        try (Database database = Database.open(url, 4)) {
            SchemaStore schemas = new SchemaStore(database);
            schemas.createTable(new TableSchema("rows", true, false, List.of(
                    new Column("n", "n", ColumnType.INTEGER, false))));
            TableSchema rows = schemas.loadAll().get(0);
            TableRepository repository = new TableRepository(database);
            int total = TableRepository.CHUNK * 2 + 600;
            database.write(connection -> {
                List<GroupCommitter.Batchable<?>> inserts = new ArrayList<>();
                for (int i = 0; i < total; i++) {
                    inserts.add(repository.insertion(rows, String.format("r%05d", i), Map.of(rows.column("n"),
                            (long) i)));
                }
                return inserts.get(0).applyAll(connection, TableClock.lock(connection, rows.key(),
                        Clock.systemUTC()), inserts);
            });
            List<TableRepository.Sort> byUpdatedAt = List.of(new TableRepository.Sort(rows.column("updatedAt"),
                    false));

            for (int limit : List.of(TableRepository.CHUNK, TableRepository.CHUNK * 2 + 100)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                TableRepository.Page page = stream(repository, rows, new TableRepository.Select(rows.columns(),
                        null, byUpdatedAt, 0, limit), out);
                JsonNode items = read(out);

                assertThat(page.written()).isEqualTo(limit);
                assertThat(page.more()).isTrue();
                assertThat(items).hasSize(limit);
                for (int i = 0; i < limit; i++) {
                    assertThat(items.get(i).get("n").asLong()).isEqualTo(i);
                }
                assertThat(page.lastId()).isEqualTo(items.get(limit - 1).get("id").asText());
                assertThat(Timestamps.format(page.lastUpdatedAt())).isEqualTo(items.get(limit - 1).get("updatedAt").asText());
            }

            // pgjdbc receives results as text for a statement's first executions on a connection and in binary once
            // it has prepared it on the server (the fifth): both must write the same page.
            TableRepository.Select small = new TableRepository.Select(rows.columns(), null, byUpdatedAt, 0, 100);
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            stream(repository, rows, small, first);
            for (int i = 0; i < 8; i++) {
                ByteArrayOutputStream again = new ByteArrayOutputStream();
                stream(repository, rows, small, again);
                assertThat(again.toString(StandardCharsets.UTF_8)).isEqualTo(first.toString(StandardCharsets.UTF_8));
            }
            JsonNode last = read(first).get(99);
            assertThat(last.toString()).isEqualTo(repository.find(rows, last.get("id").asText()).toString());

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            TableRepository.Page rest = stream(repository, rows, new TableRepository.Select(rows.columns(), null,
                    byUpdatedAt, TableRepository.CHUNK, TableRepository.CHUNK * 3), out);
            assertThat(rest.written()).isEqualTo(total - TableRepository.CHUNK);
            assertThat(rest.more()).isFalse();
            assertThat(read(out).get(0).get("n").asLong()).isEqualTo(TableRepository.CHUNK);
        } finally {
            db.drop(url);
        }
    }

    private static TableRepository.Page stream(TableRepository repository, TableSchema schema,
                                               TableRepository.Select select, ByteArrayOutputStream out) {
        try (JsonGenerator generator = JSON.getFactory().createGenerator(out)) {
            generator.writeStartArray();
            TableRepository.Page page = repository.stream(schema, select, generator);
            generator.writeEndArray();
            return page;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode read(ByteArrayOutputStream out) {
        try {
            return JSON.readTree(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
