package dev.outpost.client.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.Query;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Local queries answer like the server: C#/LINQ null semantics, 0-based string functions, literal % and _. */
class LocalFilterSemanticsTest {
    @TempDir
    static Path dir;
    static SqliteLocalStore store;

    @BeforeAll
    static void fill() {
        store = SqliteLocalStore.open(dir.resolve("semantics.db"));
        store.defineTable(TableDefinition.builder("t").withSystemColumns()
                .column("text", ColumnType.STRING)
                .column("priority", ColumnType.INTEGER)
                .column("weight", ColumnType.NUMBER)
                .column("complete", ColumnType.BOOLEAN)
                .column("due", ColumnType.DATE)
                .build());
        store.upsert("t", List.of(
                row("a", "Apple", 1, 2.5, true, "2026-01-15T10:20:30.000Z"),
                row("b", "banana%", 2, -2.5, false, "2025-12-31T23:59:59.999Z"),
                row("c", null, null, null, null, null),
                row("d", "a_b", 3, 0.5, false, null)));
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static ObjectNode row(String id, String text, Integer priority, Double weight, Boolean complete,
            String due) {
        ObjectNode row = Json.object().put("id", id).put("text", text).put("priority", priority)
                .put("weight", weight).put("complete", complete).put("due", due);
        return row;
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "text ne 'Apple'                                      | b,c,d",
        "text eq null                                         | c",
        "text ne null                                         | a,b,d",
        "priority gt 1                                        | b,d",
        "not (priority gt 1)                                  | a,c",
        "not (text eq 'Apple')                                | b,c,d",
        "not (contains(text, 'a'))                            | a,c",
        "startswith(text, 'A')                                | a",
        "startswith(text, 'a')                                | d",
        "contains(text, '%')                                  | b",
        "contains(text, '_')                                  | d",
        "endswith(text, '%')                                  | b",
        "endswith(text, '')                                   | a,b,d",
        "substringof('an', text)                              | b",
        "indexof(text, 'p') eq 1                              | a",
        "substring(text, 1) eq 'pple'                         | a",
        "substring(text, 1, 2) eq 'pp'                        | a",
        "tolower(text) eq 'apple'                             | a",
        "length(text) eq 3                                    | d",
        "concat(text, 'x') eq 'Applex'                        | a",
        "round(weight) eq 3                                   | a",
        "round(weight) eq -3                                  | b",
        "floor(weight) eq -3                                  | b",
        "ceiling(weight) eq 1                                 | d",
        "year(due) eq 2025                                    | b",
        "month(due) eq 1 and second(due) eq 30                | a",
        "due gt cast(2026-01-01T00:00:00Z,Edm.DateTimeOffset) | a",
        "due lt datetimeoffset'2026-01-01T01:00:00+01:00'     | b",
        "due lt '2026-01-01T00:00:00Z'                        | b",
        "complete eq false                                    | b,d",
        "complete ne true                                     | b,c,d",
        "complete                                             | a",
        "not complete                                         | b,c,d",
        "priority in (1, 3)                                   | a,d",
        "priority in (1, null)                                | a,c",
        "priority add 1 eq 3                                  | b",
        "priority mod 2 eq 1                                  | a,d",
        "priority div 2 eq 1                                  | b,d",
        "weight ge 0.5 or priority eq null                    | a,c,d",
    })
    void filterSelectsTheSameRecordsAsTheServer(String filter, String expectedIds) {
        List<ObjectNode> rows = store.query("t", Query.builder()
                .filter(FilterParser.defaults().parseFilter(filter)).build());

        assertThat(rows).extracting(r -> r.get("id").asText())
                .containsExactlyElementsOf(Arrays.asList(expectedIds.split(",")));
    }
}
