package dev.outpost.server.internal.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.server.ServerStartException;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Tables files, startup schema creation, and the dynamic schema shared by replicas through the database. */
class SchemaTest {
    @TempDir
    Path dir;

    private Path tables(String json) throws IOException {
        Path file = Files.createTempFile(dir, "tables-", ".json");
        Files.writeString(file, json);
        return file;
    }

    @Test
    void aTablesFileDeclaresTypedColumnsAndSoftDeleteDefaultsToTrue() throws IOException {
        List<TableSchema> schemas = TablesFile.read(tables("""
                {"todoitem": {"columns": {"text": "string", "complete": "boolean"}},
                 "audit": {"columns": {"at": "date", "payload": "json", "n": "integer", "x": "number"},
                           "softDelete": false}}
                """));

        assertThat(schemas).extracting(TableSchema::name).containsExactly("todoitem", "audit");
        assertThat(schemas.get(0).softDelete()).isTrue();
        assertThat(schemas.get(1).softDelete()).isFalse();
        assertThat(schemas.get(1).column("PAYLOAD").type()).isEqualTo(ColumnType.JSON);
        assertThat(schemas.get(1).columns()).extracting(Column::name)
                .containsExactly("at", "payload", "n", "x", "id", "createdAt", "updatedAt", "version", "deleted");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[]",
        "{\"outpost_x\": {}}",
        "{\"1abc\": {}}",
        "{\"t\": {\"columns\": {\"a\": \"text\"}}}",
        "{\"t\": {\"columns\": {\"id\": \"string\"}}}",
        "{\"t\": {\"columns\": {\"a b\": \"string\"}}}",
        "{\"t\": {\"softDelete\": \"yes\"}}",
        "{\"t\": {\"colums\": {}}}",
        "{\"t\": {}, \"T\": {}}",
    })
    void anInvalidTablesFileIsRefusedNamingTheProblem(String json) {
        assertThatThrownBy(() -> TablesFile.parse(new ObjectMapper().readTree(json), "tables.json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("tables.json:");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void startupAddsMissingDeclaredColumnsAndKeepsExistingData(TestDatabase db) throws IOException {
        String url = db.createUrl();
        Path v1 = tables("{\"todoitem\": {\"columns\": {\"text\": \"string\"}}}");
        Path v2 = tables("{\"todoitem\": {\"columns\": {\"text\": \"string\", \"due\": \"date\"}}}");
        Path conflicting = tables("{\"todoitem\": {\"columns\": {\"text\": \"integer\"}}}");
        TestServer first = TestServer.startOn(db, url, b -> b.tablesFile(v1));
        assertThat(first.v3("POST", "/tables/todoitem", "{\"id\":\"a\",\"text\":\"kept\"}").status()).isEqualTo(201);
        first.stopKeepingDatabase();

        try (TestServer second = TestServer.startOn(db, url, b -> b.tablesFile(v2))) {
            Reply record = second.v3("GET", "/tables/todoitem/a", null);
            assertThat(record.json().get("text").asText()).isEqualTo("kept");
            assertThat(record.json().has("due")).isTrue();
            assertThat(second.v3("PATCH", "/tables/todoitem/a", "{\"due\":\"2026-01-01T00:00:00.000Z\"}").status())
                    .isEqualTo(200);
            assertThat(second.v3("POST", "/tables/other", "{\"x\":1}").status()).isEqualTo(404);
            second.stopKeepingDatabase();
            assertThatThrownBy(() -> TestServer.startOn(db, url, b -> b.tablesFile(conflicting)))
                    .isInstanceOf(ServerStartException.class)
                    .hasMessageContaining("'text'")
                    .extracting(e -> ((ServerStartException) e).reason())
                    .isEqualTo(ServerStartException.Reason.SCHEMA_MISMATCH);
        } finally {
            db.drop(url);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void tableAndColumnNamesMatchIgnoringCaseAndTheFirstSpellingIsCanonical(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            server.v3("POST", "/tables/TodoItem", "{\"id\":\"a\",\"DueText\":\"x\"}");
            Reply second = server.v3("POST", "/tables/todoitem", "{\"id\":\"b\",\"duetext\":\"y\"}");
            Reply query = server.v3("GET", "/tables/TODOITEM?$filter=DUETEXT%20eq%20'y'&$select=DUETEXT,id", null);

            assertThat(second.status()).isEqualTo(201);
            assertThat(second.json().has("DueText")).isTrue();
            assertThat(query.json().get("items")).hasSize(1);
            assertThat(query.json().get("items").get(0).has("DueText")).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aReplicaSeesTablesAndColumnsAnotherReplicaCreated(TestDatabase db) {
        TestServer a = TestServer.start(db);
        try (TestServer b = TestServer.startOn(db, a.databaseUrl(), c -> c)) {
            assertThat(b.v3("GET", "/tables/shared", null).json().get("items")).isEmpty();
            assertThat(a.v3("POST", "/tables/shared", "{\"id\":\"x\",\"first\":\"1\"}").status()).isEqualTo(201);
            assertThat(a.v3("POST", "/tables/shared", "{\"id\":\"y\",\"later\":2}").status()).isEqualTo(201);

            Reply filtered = b.v3("GET", "/tables/shared?$filter=later%20eq%202", null);
            Reply wrongType = b.v3("POST", "/tables/shared", "{\"id\":\"z\",\"later\":\"two\"}");

            assertThat(filtered.status()).as(filtered.toString()).isEqualTo(200);
            assertThat(filtered.json().get("items")).hasSize(1);
            assertThat(wrongType.status()).isEqualTo(400);
            b.stopKeepingDatabase();
        } finally {
            a.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aTableWithoutSoftDeleteRemovesRecords(TestDatabase db) throws IOException {
        Path file = tables("{\"hard\": {\"columns\": {\"text\": \"string\"}, \"softDelete\": false}}");
        try (TestServer server = TestServer.start(db, b -> b.tablesFile(file))) {
            server.v2("POST", "/tables/hard", "{\"id\":\"h1\",\"text\":\"x\"}");
            server.v2("POST", "/tables/hard", "{\"id\":\"h2\",\"text\":\"y\"}");

            Reply v2 = server.v2("DELETE", "/tables/hard/h1", null);
            Reply v3 = server.v3("DELETE", "/tables/hard/h2", null);

            assertThat(v2.status()).isEqualTo(200);
            assertThat(v2.json().get("text").asText()).isEqualTo("x");
            assertThat(v3.status()).isEqualTo(204);
            assertThat(server.v2("GET", "/tables/hard/h1", null).status()).isEqualTo(404);
            assertThat(server.v3("GET", "/tables/hard?__includedeleted=true", null).json().get("items")).isEmpty();
            assertThat(server.v2("DELETE", "/tables/hard/h1", null).status()).isEqualTo(404);
            assertThat(server.v2("POST", "/tables/hard", "{\"id\":\"h1\",\"text\":\"again\"}").status())
                    .isEqualTo(201);
        }
    }

    @Test
    void longNamesGetShortUniqueSqlNames() {
        String a = "a".repeat(100) + "x";
        String b = "a".repeat(100) + "y";

        assertThat(Names.sqlName(a)).hasSizeLessThanOrEqualTo(63).isNotEqualTo(Names.sqlName(b));
        assertThat(Names.sqlName("short")).isEqualTo("short");
    }
}
