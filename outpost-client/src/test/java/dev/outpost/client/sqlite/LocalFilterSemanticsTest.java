package dev.outpost.client.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.protocol.query.OrderBy;
import dev.outpost.protocol.query.Query;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Local queries answer like the server: C#/LINQ null semantics, 0-based string functions, literal % and _, doubles
 * for number literals with a fraction, and the server's refusals of ill-typed filters.
 */
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
                .column("tags", ColumnType.JSON)
                .build());
        store.upsert("t", List.of(
                row("a", "Apple", 1, 2.5, true, "2026-01-15T10:20:30.000Z").set("tags", Json.parse("[\"x\"]")),
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

    @Test
    void aNumberLiteralWithAFractionIsADoubleEvenWhenItIsWhole() {
        assertThat(ids("priority div 2.0 eq 1.5")).containsExactly("d");
        assertThat(ids("priority div 2 eq 1")).containsExactly("b", "d");
        assertThat(ids("priority mul 1e0 div 2 eq 0.5")).containsExactly("a");
    }

    @Test
    void modOfDoublesKeepsTheFractionAndTheSignOfTheDividend() {
        assertThat(ids("weight mod 2 eq 0.5")).containsExactly("a", "d");
        assertThat(ids("weight mod 2 eq -0.5")).containsExactly("b");
    }

    @Test
    void aFunctionOfNullIsNull() {
        assertThat(ids("concat(text, 'x') eq 'x'")).isEmpty();
        assertThat(ids("concat(text, 'x') eq null")).containsExactly("c");
        assertThat(ids("length(text) eq null")).containsExactly("c");
        assertThat(ids("priority add null eq null")).containsExactly("a", "b", "c", "d");
    }

    @Test
    void aConditionOnANullValueIsFalseSoComparingItWithFalseIsTrue() {
        assertThat(ids("contains(text, 'a') eq false")).containsExactly("a", "c");
        assertThat(ids("(priority gt 1) eq false")).containsExactly("a", "c");
        assertThat(ids("(priority gt 1) ne true")).containsExactly("a", "c");
        assertThat(ids("startswith(text, 'A') eq complete")).containsExactly("a", "b", "d");
    }

    @Test
    void substringCountsANegativeStartOrLengthAsZero() {
        assertThat(ids("substring(text, -1, 2) eq 'Ap'")).containsExactly("a");
        assertThat(ids("substring(text, -3) eq 'Apple'")).containsExactly("a");
        assertThat(ids("substring(text, 1, -1) eq ''")).containsExactly("a", "b", "d");
    }

    @Test
    void aJsonColumnCanOnlyBeComparedWithNull() {
        assertThat(ids("tags eq null")).containsExactly("b", "c", "d");
        assertThat(ids("tags ne null")).containsExactly("a");
        assertRefused("tags eq tags", "json values can only be compared with null");
        assertRefused("tags eq 'x'", "type mismatch: cannot apply 'eq' to column 'tags' (a json value)");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "priority eq '1'                  | type mismatch: cannot apply 'eq' to column 'priority' (an integer)",
        "complete eq 1                    | type mismatch: cannot apply 'eq' to column 'complete' (a boolean)",
        "complete gt false                | 'gt' does not apply to booleans",
        "due eq 'soon'                    | 'soon' is not a timestamp",
        "priority in ('1', '2')           | type mismatch: cannot apply 'in'",
        "text add 1 eq 2                  | 'add' needs numbers but column 'text' is a string",
        "year(text) eq 2025               | argument 1 of year must be a date",
        "startswith(priority, '1')        | argument 1 of startswith must be a string",
        "substring(text, 1.5) eq 'pple'   | argument 2 of substring must be an integer",
        "round(text) eq 1                 | 'round' needs numbers",
        "text                             | $filter must be a condition, but it is a string",
        "priority add 1                   | $filter must be a condition, but it is an integer",
        "complete and priority            | expected a condition but found column 'priority'",
    })
    void anIllTypedFilterIsRefusedAsTheServerRefusesIt(String filter, String reason) {
        assertRefused(filter, reason);
    }

    @Test
    void aColumnTheTableDoesNotDefineIsRefusedNamingItAndWhy() {
        store.upsert("t", List.of(Json.object().put("id", "e").put("aisle", 7)));
        try {
            assertRefused("aisle eq 7", "cannot evaluate 'aisle' locally: local table 't' does not define it");
            assertThatThrownBy(() -> store.query("t", Query.builder().orderBy(OrderBy.asc("aisle")).build()))
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("cannot order by 'aisle'");
        } finally {
            store.delete("t", "e");
        }
    }

    @Test
    void orderingByAJsonColumnIsRefused() {
        assertThatThrownBy(() -> store.query("t", Query.builder().orderBy(OrderBy.desc("tags")).build()))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("cannot order by json column 'tags'");
    }

    @Test
    void nullsSortFirstAscendingAndLastDescending() {
        assertThat(store.query("t", Query.builder().orderBy(OrderBy.asc("priority")).build()))
                .extracting(r -> r.get("id").asText()).containsExactly("c", "a", "b", "d");
        assertThat(store.query("t", Query.builder().orderBy(OrderBy.desc("text")).build()))
                .extracting(r -> r.get("id").asText()).containsExactly("b", "d", "a", "c");
    }

    @Test
    void aSelectionOfSomethingThatIsNotAPropertyNameIsRefused() {
        assertThatThrownBy(() -> store.query("t", Query.builder().select("priority text").build()))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("cannot select 'priority text'");
        assertThatThrownBy(() -> store.query("t", Query.builder().select("tags/0").build()))
                .isInstanceOf(InvalidQueryException.class).hasMessageContaining("not a property name");
    }

    private static List<String> ids(String filter) {
        return store.query("t", Query.builder().filter(FilterParser.defaults().parseFilter(filter)).build())
                .stream().map(r -> r.get("id").asText()).toList();
    }

    private static void assertRefused(String filter, String reason) {
        assertThatThrownBy(() -> ids(filter)).isInstanceOf(InvalidQueryException.class)
                .hasMessageContaining(reason);
    }
}
