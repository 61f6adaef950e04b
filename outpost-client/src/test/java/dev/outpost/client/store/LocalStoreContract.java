package dev.outpost.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.testing.ForwardingTransaction;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.OrderBy;
import dev.outpost.protocol.query.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What every {@link LocalStore} must do; each implementation's test supplies only the factory. */
public abstract class LocalStoreContract {
    protected LocalStore store;

    /** A new, empty store. */
    protected abstract LocalStore newStore();

    protected static final TableDefinition TODO = TableDefinition.builder("todoitem")
            .withSystemColumns()
            .column("text", ColumnType.STRING)
            .column("complete", ColumnType.BOOLEAN)
            .column("priority", ColumnType.INTEGER)
            .column("weight", ColumnType.NUMBER)
            .column("due", ColumnType.DATE)
            .column("tags", ColumnType.JSON)
            .build();

    @BeforeEach
    void openStore() {
        store = newStore();
        store.defineTable(TODO);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    protected static ObjectNode todo(String id, String text) {
        ObjectNode record = Json.object();
        record.put("id", id);
        record.put("text", text);
        record.put("complete", false);
        return record;
    }

    @Test
    void upsertThenLookupRoundTripsEveryColumnType() {
        ObjectNode record = todo("a", "milk");
        record.put("priority", 3);
        record.put("weight", 1.5);
        record.put("due", "2026-11-23T06:32:01.2+00:00");
        record.set("tags", Json.parse("[\"x\",{\"y\":1}]"));
        record.put("version", "MQ==");
        record.put("deleted", false);
        store.upsert("todoitem", List.of(record));

        ObjectNode back = store.lookup("todoitem", "a").orElseThrow();
        assertThat(back.get("text").asText()).isEqualTo("milk");
        assertThat(back.get("complete").booleanValue()).isFalse();
        assertThat(back.get("priority").longValue()).isEqualTo(3);
        assertThat(back.get("weight").doubleValue()).isEqualTo(1.5);
        assertThat(back.get("due").asText()).isEqualTo("2026-11-23T06:32:01.200Z");
        assertThat(back.get("tags")).isEqualTo(Json.parse("[\"x\",{\"y\":1}]"));
        assertThat(back.get("version").asText()).isEqualTo("MQ==");
        assertThat(back.get("createdAt").isNull()).isTrue();
    }

    @Test
    void propertiesTheTableDoesNotDefineAreKeptAndComeBack() {
        ObjectNode record = todo("a", "milk");
        record.put("addedByServerLater", "kept");
        record.set("nested", Json.parse("{\"k\":[1,2]}"));
        store.upsert("todoitem", List.of(record));

        ObjectNode back = store.lookup("todoitem", "a").orElseThrow();
        assertThat(back.get("addedByServerLater").asText()).isEqualTo("kept");
        assertThat(back.get("nested")).isEqualTo(Json.parse("{\"k\":[1,2]}"));
    }

    @Test
    void propertiesMatchColumnsIgnoringCase() {
        ObjectNode record = Json.object();
        record.put("ID", "a");
        record.put("Text", "milk");
        store.upsert("todoitem", List.of(record));

        assertThat(store.lookup("TodoItem", "a").orElseThrow().get("text").asText()).isEqualTo("milk");
    }

    @Test
    void upsertReplacesTheWholeRecord() {
        ObjectNode first = todo("a", "milk");
        first.put("priority", 1);
        store.upsert("todoitem", List.of(first));
        store.upsert("todoitem", List.of(todo("a", "bread")));

        ObjectNode back = store.lookup("todoitem", "a").orElseThrow();
        assertThat(back.get("text").asText()).isEqualTo("bread");
        assertThat(back.get("priority").isNull()).isTrue();
    }

    @Test
    void deleteRemovesTheRecordAndSaysWhetherThereWasOne() {
        store.upsert("todoitem", List.of(todo("a", "milk")));

        assertThat(store.delete("todoitem", "a")).isTrue();
        assertThat(store.delete("todoitem", "a")).isFalse();
        assertThat(store.lookup("todoitem", "a")).isEmpty();
    }

    @Test
    void idsAndTextWithQuotesAndSqlAreStoredVerbatim() {
        String id = "x'); DROP TABLE todoitem; --\"";
        store.upsert("todoitem", List.of(todo(id, "it's \"quoted\" %_")));

        assertThat(store.lookup("todoitem", id).orElseThrow().get("text").asText()).isEqualTo("it's \"quoted\" %_");
        List<ObjectNode> found = store.query("todoitem", Query.builder()
                .filter(FilterParser.defaults().parseFilter("id eq 'x''); DROP TABLE todoitem; --\"'")).build());
        assertThat(found).hasSize(1);
    }

    @Test
    void aTransactionThatThrowsLeavesNothingBehind() {
        assertThatThrownBy(() -> store.useTransaction(tx -> {
            tx.upsert("todoitem", todo("a", "milk"));
            tx.upsert("todoitem", todo("b", "bread"));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");

        assertThat(store.lookup("todoitem", "a")).isEmpty();
        assertThat(store.lookup("todoitem", "b")).isEmpty();
    }

    @Test
    void aNestedTransactionThatThrowsRollsBackOnlyItself() {
        store.useTransaction(tx -> {
            tx.upsert("todoitem", todo("a", "milk"));
            try {
                store.useTransaction(inner -> {
                    inner.upsert("todoitem", todo("b", "bread"));
                    throw new IllegalStateException("inner");
                });
            } catch (IllegalStateException expected) {
                // the outer transaction goes on
            }
        });

        assertThat(store.lookup("todoitem", "a")).isPresent();
        assertThat(store.lookup("todoitem", "b")).isEmpty();
    }

    @Test
    void changeListenersHearOnlyAfterTheOutermostCommit() {
        List<Set<String>> heard = new ArrayList<>();
        store.addChangeListener(heard::add);

        store.useTransaction(tx -> {
            tx.upsert("todoitem", todo("a", "milk"));
            store.useTransaction(inner -> inner.upsert("todoitem", todo("b", "bread")));
            assertThat(heard).isEmpty();
        });
        assertThat(heard).containsExactly(Set.of("todoitem"));

        try {
            store.useTransaction(tx -> {
                tx.upsert("todoitem", todo("c", "eggs"));
                throw new IllegalStateException("rolled back");
            });
        } catch (IllegalStateException expected) {
            // a rolled-back transaction notifies nobody
        }
        assertThat(heard).hasSize(1);
    }

    @Test
    void defineTableAddsColumnsAndKeepsTheOldOnes() {
        store.upsert("todoitem", List.of(todo("a", "milk")));
        store.defineTable(TableDefinition.builder("todoitem").column("note", ColumnType.STRING).build());

        TableDefinition now = store.tableDefinition("todoitem").orElseThrow();
        assertThat(now.column("note")).isNotNull();
        assertThat(now.column("text")).isNotNull();
        assertThat(store.lookup("todoitem", "a").orElseThrow().get("text").asText()).isEqualTo("milk");
    }

    @Test
    void valuesKeptInExtrasMoveIntoAColumnDefinedLaterAndBecomeQueryable() {
        store.upsert("todoitem", List.of(todo("a", "milk").put("aisle", 7), todo("b", "bread").put("aisle", "x")));
        store.defineTable(TableDefinition.builder("todoitem").column("aisle", ColumnType.INTEGER).build());

        List<ObjectNode> found = store.query("todoitem", Query.builder()
                .filter(FilterParser.defaults().parseFilter("aisle eq 7")).build());
        assertThat(found).extracting(r -> r.get("id").asText()).containsExactly("a");
        assertThat(store.lookup("todoitem", "b").orElseThrow().get("aisle").asText()).isEqualTo("x");
    }

    @Test
    void redefiningAColumnWithAnotherTypeIsRefused() {
        assertThatThrownBy(() -> store.defineTable(
                TableDefinition.builder("todoitem").column("text", ColumnType.INTEGER).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'text'").hasMessageContaining("STRING");
    }

    @Test
    void aValueThatDoesNotFitItsColumnIsRefusedWithTheColumnNamed() {
        ObjectNode record = todo("a", "milk");
        record.put("priority", "high");

        assertThatThrownBy(() -> store.upsert("todoitem", List.of(record)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'priority'").hasMessageNotContaining("high");
    }

    @Test
    void aRecordWithoutAnIdIsRefused() {
        ObjectNode record = Json.object().put("text", "milk");

        assertThatThrownBy(() -> store.upsert("todoitem", List.of(record)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no string id");
    }

    @Test
    void queryFiltersOrdersPagesAndProjects() {
        List<ObjectNode> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ObjectNode record = todo("id" + i, "item " + (9 - i));
            record.put("priority", i % 3);
            records.add(record);
        }
        store.upsert("todoitem", records);

        List<ObjectNode> page = store.query("todoitem", Query.builder()
                .filter(FilterParser.defaults().parseFilter("priority ne 0"))
                .orderBy(OrderBy.asc("text"))
                .skip(1).top(3)
                .select("id", "text")
                .build());

        assertThat(page).extracting(r -> r.get("text").asText()).containsExactly("item 2", "item 4", "item 5");
        assertThat(page.get(0).size()).isEqualTo(2);
        long count = store.inTransaction(tx -> tx.count("todoitem",
                FilterParser.defaults().parseFilter("priority ne 0")));
        assertThat(count).isEqualTo(6);
    }

    /** Runs {@code work} through the store's own {@code update}, or through the interface's default one. */
    private <R> R withUpdate(boolean storesOwn, java.util.function.Function<StoreTransaction, R> work) {
        return store.inTransaction(tx -> work.apply(storesOwn ? tx : new ForwardingTransaction(tx)));
    }

    @ParameterizedTest(name = "store''s own update: {0}")
    @ValueSource(booleans = {true, false})
    void updateSetsOnlyTheGivenPropertiesAndSkipsRecordsThatDoNotExist(boolean storesOwn) {
        ObjectNode milk = todo("a", "milk");
        milk.put("priority", 1);
        milk.set("tags", Json.parse("[\"dairy\"]"));
        store.upsert("todoitem", List.of(milk, todo("b", "bread")));

        ObjectNode change = Json.object().put("id", "a").put("text", "oat milk").put("complete", true);
        ObjectNode missing = Json.object().put("id", "nope").put("text", "x");
        int updated = withUpdate(storesOwn, tx -> tx.update("todoitem", List.of(change, missing)));

        assertThat(updated).isEqualTo(1);
        ObjectNode a = store.lookup("todoitem", "a").orElseThrow();
        assertThat(a.get("text").asText()).isEqualTo("oat milk");
        assertThat(a.get("complete").asBoolean()).isTrue();
        assertThat(a.get("priority").asInt()).isEqualTo(1);
        assertThat(a.get("tags")).isEqualTo(Json.parse("[\"dairy\"]"));
        assertThat(store.lookup("todoitem", "b").orElseThrow().get("text").asText()).isEqualTo("bread");
        assertThat(store.lookup("todoitem", "nope")).isEmpty();
    }

    @ParameterizedTest(name = "store''s own update: {0}")
    @ValueSource(booleans = {true, false})
    void updateKeepsExtrasMatchesColumnsIgnoringCaseAndAppliesChangesInOrder(boolean storesOwn) {
        store.upsert("todoitem", List.of(todo("a", "milk").put("aisle", 7).put("shelf", "top")));

        withUpdate(storesOwn, tx -> tx.update("todoitem", List.of(
                Json.object().put("id", "a").put("text", "first"),
                Json.object().put("id", "a").put("aisle", 8).put("Text", "second"),
                Json.object().put("id", "a").putNull("priority"),
                Json.object().put("id", "a").put("weight", 2.5))));

        ObjectNode a = store.lookup("todoitem", "a").orElseThrow();
        assertThat(a.get("text").asText()).isEqualTo("second");
        assertThat(a.has("Text")).isFalse();
        assertThat(a.get("aisle").asInt()).isEqualTo(8);
        assertThat(a.get("shelf").asText()).isEqualTo("top");
        assertThat(a.get("priority").isNull()).isTrue();
        assertThat(a.get("weight").asDouble()).isEqualTo(2.5);
    }

    @ParameterizedTest(name = "store''s own update: {0}")
    @ValueSource(booleans = {true, false})
    void anUpdateWithoutAnIdOrWithAValueThatDoesNotFitIsRefusedAndChangesNothing(boolean storesOwn) {
        store.upsert("todoitem", List.of(todo("a", "milk")));

        assertThatThrownBy(() -> withUpdate(storesOwn, tx -> tx.update("todoitem",
                List.of(Json.object().put("text", "no id")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no string id");
        assertThatThrownBy(() -> withUpdate(storesOwn, tx -> tx.update("todoitem", List.of(
                Json.object().put("id", "a").put("text", "changed"),
                Json.object().put("id", "a").put("priority", "high")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("priority");
        assertThat(store.lookup("todoitem", "a").orElseThrow().get("text").asText()).isEqualTo("milk");
    }

    @Test
    void aBatchRefusedHalfWayLeavesNothingBehindForTheNextOne() {
        store.upsert("todoitem", List.of(todo("a", "milk"), todo("b", "bread")));
        ObjectNode badPriority = todo("y", "bad").put("priority", "high");

        assertThatThrownBy(() -> store.upsert("todoitem", List.of(todo("x", "refused with its batch"), badPriority)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.useTransaction(tx -> tx.update("todoitem", List.of(
                Json.object().put("id", "a").put("priority", 1),
                Json.object().put("id", "b").put("priority", "high")))))
                .isInstanceOf(IllegalArgumentException.class);
        store.upsert("todoitem", List.of(todo("c", "eggs"), todo("d", "tea")));
        store.useTransaction(tx -> tx.update("todoitem", List.of(
                Json.object().put("id", "c").put("priority", 3), Json.object().put("id", "d").put("priority", 4))));

        assertThat(store.lookup("todoitem", "x")).isEmpty();
        assertThat(store.lookup("todoitem", "a").orElseThrow().get("priority").isNull()).isTrue();
        assertThat(store.lookup("todoitem", "c").orElseThrow().get("priority").asInt()).isEqualTo(3);
        assertThat(store.lookup("todoitem", "d").orElseThrow().get("priority").asInt()).isEqualTo(4);
    }

    @Test
    void aSelectionOfPropertiesKeptInExtrasIsAnsweredToo() {
        store.upsert("todoitem", List.of(todo("a", "milk").put("aisle", 7)));

        List<ObjectNode> byExtra = store.query("todoitem", Query.builder().select("id", "aisle").build());
        List<ObjectNode> byColumn = store.query("todoitem", Query.builder().select("TEXT").build());

        assertThat(byExtra).containsExactly(Json.object().put("id", "a").put("aisle", 7));
        assertThat(byColumn).containsExactly(Json.object().put("text", "milk"));
    }

    @Test
    void queryingAColumnTheTableLacksIsAnInvalidQuery() {
        assertThatThrownBy(() -> store.query("todoitem", Query.builder()
                .filter(FilterParser.defaults().parseFilter("nope eq 1")).build()))
                .isInstanceOf(dev.outpost.protocol.query.InvalidQueryException.class)
                .hasMessageContaining("'nope'");
    }

    @Test
    void usingAnUnknownTableIsAProgrammerError() {
        assertThatThrownBy(() -> store.lookup("missing", "a"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'missing'");
    }
}
