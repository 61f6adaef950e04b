package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.QueryResult;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.TableQuery;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.testing.SharedReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Datasync movie query corpus ({@code shared/reference/datasync-queries}: 248 movies, 446 cases with the
 * answers the .NET Datasync server's own tests expect, which the Outpost server gives in
 * {@code DatasyncQueryCorpusTest}) run against the local store, through the query API an app uses offline:
 * {@link SyncTable#query()}.
 *
 * <p><b>The data.</b> The movies are inserted with {@link SyncTable#insert}, as an app would, into a
 * {@link SqliteLocalStore} file, twice: once in tables that declare every movie property with the type the server's
 * table gives it and the JSON values have (text as STRING, whole numbers as INTEGER, {@code releaseDate} as DATE,
 * {@code bestPictureWinner} as BOOLEAN), so that both sides evaluate the same typed columns; and once in tables that
 * declare none of them (an app that called {@code getSyncTable(name)} and nothing else: the properties are kept,
 * untyped, outside the table's columns). The second run is there because a corpus that passes only with a tuned
 * definition would hide what happens to everyone else: a query on a property the table does not declare must be
 * refused, never answered some other way. As on the server, the {@code ama} cases use the table {@code movies} and
 * the {@code ctk}-only cases {@code moviesctk}, whose ratings are spelled {@code PG13}, {@code NC17}, {@code Unrated}.
 *
 * <p><b>What is compared.</b> One run per case (the local API reads v2 and v3 syntax alike, so a case listed for both
 * dialects is one local query); {@code $filter}, {@code $orderby} (one {@code orderBy}/{@code orderByDescending}
 * call per key), {@code $skip}, {@code $top}, {@code $select}, and {@code $count=true} / {@code $inlinecount=allpages}
 * ({@code includeTotalCount}) are sent through {@link TableQuery}; any other parameter is passed with
 * {@link TableQuery#parameter}, which the local store ignores as the server ignores parameters it does not know.
 * No case asks for deleted records, so {@code includeDeleted} is never used. A local query has no pages: it returns
 * every matching record (up to {@code $top}), so for a {@code query} case the number of items is the corpus's
 * {@code matchCount} after {@code $skip} and {@code $top} (the corpus's page of 100 rescaled to no page limit, as the
 * server test rescales it to v2's 50), the first ids must be the corpus's {@code firstIds} in order, and the total
 * count must be the corpus's {@code count} (absent when it is null). Next links and page counts are the server's
 * concern and are not compared: a {@code paging} case compares the records its query collects, a {@code select}
 * case the number of items and the exact keys of each. A {@code status} case (the server answers 400) must be
 * refused: {@link InvalidQueryException}, or {@link IllegalArgumentException} from the builder for a negative
 * {@code skip}/{@code top}.
 *
 * <p><b>The counts</b> (answered, refused, skipped by reason) are in the names of the containers and of each setup's
 * first test, which pins them, and in one {@code [outpost]} line per setup in the build's output. With every movie
 * property declared, every case the server answers is answered locally and the server's 400s are refused; with none
 * declared, every case that filters or sorts on a movie property is refused, naming the property.
 */
class LocalQueryCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern INTEGER = Pattern.compile("-?\\d{1,9}");
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** The Outpost server's default maximum {@code $top}; a larger one is refused by the server, not by semantics. */
    private static final int SERVER_MAX_TOP = 1000;
    private static final String NOT_EXPRESSIBLE = "not expressible: skip(int) and top(int) take numbers, and the "
            + "corpus sends $skip=NaN and $top=NaN";
    private static final String SERVER_LIMIT = "server limit: the server refuses a $top over its maximum page ("
            + SERVER_MAX_TOP + "), which is not query semantics; a local query has no pages";
    private static final String SERVER_SCHEMA = "server schema: only the server knows that a name is none of its "
            + "columns; the local store keeps undeclared properties with their records and answers a $select of an "
            + "undeclared name from them";

    @TempDir
    static Path dir;
    private static final List<SqliteLocalStore> stores = new ArrayList<>();

    @AfterAll
    static void closeStores() {
        stores.forEach(SqliteLocalStore::close);
    }

    @TestFactory
    Stream<DynamicNode> corpusWithEveryMoviePropertyDeclared() throws IOException {
        return corpus("every movie property declared", "declared.db", true, 435, 7);
    }

    @TestFactory
    Stream<DynamicNode> corpusWithNoMoviePropertyDeclared() throws IOException {
        return corpus("no movie property declared", "undeclared.db", false, 25, 417);
    }

    /**
     * The corpus on a new store: one dynamic test per case, grouped as answered, refused and skipped by reason,
     * after a first test that checks how many there are of each (so that no case silently changes group).
     */
    private Stream<DynamicNode> corpus(String setup, String file, boolean declareColumns, int expectAnswered,
            int expectRefused) throws IOException {
        Path corpus = SharedReference.require("reference/datasync-queries");
        JsonNode movies = JSON.readTree(corpus.resolve("movies.json").toFile());
        JsonNode cases = JSON.readTree(corpus.resolve("cases.json").toFile()).get("cases");
        SqliteLocalStore store = SqliteLocalStore.open(dir.resolve(file));
        stores.add(store);
        SyncContext sync = OutpostClient.builder().baseUrl("http://127.0.0.1:9").build().newSyncContext(store,
                ConflictHandlers.park());
        Map<String, SyncTable<ObjectNode>> tables = Map.of(
                "movies", load(sync, "movies", movies, false, declareColumns),
                "moviesctk", load(sync, "moviesctk", movies, true, declareColumns));

        Groups groups = new Groups();
        for (JsonNode c : cases) {
            SyncTable<ObjectNode> table = tables.get(tableOf(c));
            LocalCase local = LocalCase.of(c);
            groups.add(local.plan(store.tableDefinition(table.name()).orElseThrow()), table, local, c);
        }
        String summary = "local query corpus, " + setup + ": " + groups.summary();
        // The counts are what this test reports: one line per setup, as the build reports a skipped PostgreSQL.
        System.out.println("[outpost] " + summary);
        DynamicTest counts = DynamicTest.dynamicTest(summary, () -> {
            assertThat(groups.answered).as("answered").hasSize(expectAnswered);
            assertThat(groups.refused).as("refused").hasSize(expectRefused);
            assertThat(groups.skippedCount()).as("skipped").isEqualTo(cases.size() - expectAnswered - expectRefused);
        });
        return Stream.concat(Stream.of(counts), groups.containers().stream());
    }

    /** The dynamic tests of one setup, by what the local store must do with their case. */
    private static final class Groups {
        final List<DynamicTest> answered = new ArrayList<>();
        final List<DynamicTest> refused = new ArrayList<>();
        final Map<String, List<DynamicTest>> skipped = new TreeMap<>();

        void add(Plan plan, SyncTable<ObjectNode> table, LocalCase local, JsonNode c) {
            String name = c.get("id").asText() + " " + c.get("query").asText();
            switch (plan.outcome()) {
                case ANSWER -> answered.add(DynamicTest.dynamicTest(name, () -> assertAnswered(table, local, c)));
                case REFUSE -> refused.add(DynamicTest.dynamicTest(name,
                        () -> assertRefused(table, local, plan.detail())));
                default -> skipped.computeIfAbsent(plan.detail(), reason -> new ArrayList<>())
                        .add(DynamicTest.dynamicTest(name, () -> Assumptions.abort(plan.detail())));
            }
        }

        int skippedCount() {
            return skipped.values().stream().mapToInt(List::size).sum();
        }

        String summary() {
            List<String> reasons = new ArrayList<>();
            skipped.forEach((reason, tests) -> reasons.add(reason.substring(0, reason.indexOf(':')) + " "
                    + tests.size()));
            return answered.size() + " answered as the corpus expects, " + refused.size() + " refused, "
                    + skippedCount() + " skipped (" + String.join(", ", reasons) + ")";
        }

        List<DynamicNode> containers() {
            List<DynamicNode> nodes = new ArrayList<>();
            nodes.add(DynamicContainer.dynamicContainer("answered as the corpus expects: " + answered.size()
                    + " cases", answered));
            nodes.add(DynamicContainer.dynamicContainer("refused: " + refused.size() + " cases", refused));
            skipped.forEach((reason, tests) -> nodes.add(DynamicContainer.dynamicContainer("skipped, "
                    + tests.size() + " cases: " + reason, tests)));
            return nodes;
        }
    }

    /** Defines the table (with or without the movie columns) and inserts every movie in id order. */
    private static SyncTable<ObjectNode> load(SyncContext sync, String name, JsonNode movies, boolean ctkSpelling,
            boolean declareColumns) {
        if (declareColumns) {
            sync.defineTable(TableDefinition.builder(name)
                    .column("title", ColumnType.STRING)
                    .column("year", ColumnType.INTEGER)
                    .column("releaseDate", ColumnType.DATE)
                    .column("rating", ColumnType.STRING)
                    .column("bestPictureWinner", ColumnType.BOOLEAN)
                    .column("duration", ColumnType.INTEGER)
                    .build());
        }
        SyncTable<ObjectNode> table = sync.getSyncTable(name);
        for (JsonNode movie : movies) {
            ObjectNode record = ((ObjectNode) movie).deepCopy();
            if (ctkSpelling) {
                JsonNode rating = record.get("rating");
                record.put("rating", rating.isNull() ? "Unrated" : rating.asText().replace("-", ""));
            }
            table.insert(record);
        }
        return table;
    }

    private static String tableOf(JsonNode c) {
        return texts(c.get("datasets")).contains("ama") ? "movies" : "moviesctk";
    }

    private static void assertAnswered(SyncTable<ObjectNode> table, LocalCase local, JsonNode c) {
        QueryResult<ObjectNode> result = local.run(table);
        JsonNode expect = c.get("expect");
        switch (c.get("kind").asText()) {
            case "query" -> {
                List<String> ids = ids(result);
                int items = local.expectedItems(c.get("matchCount").asInt());
                assertThat(ids).as("number of records of %s", local).hasSize(items);
                List<String> firstIds = texts(expect.get("firstIds")).stream().limit(items).toList();
                assertThat(ids.subList(0, firstIds.size())).as("first ids of %s", local).isEqualTo(firstIds);
                if (expect.get("count").isNull()) {
                    assertThat(result.totalCount()).as("count of %s", local).isEmpty();
                } else {
                    assertThat(result.totalCount()).as("count of %s", local).hasValue(expect.get("count").asLong());
                }
            }
            case "select" -> {
                assertThat(result.items()).as("records of %s", local).hasSize(expect.get("items").asInt());
                for (ObjectNode item : result.items()) {
                    assertThat(keys(item)).as("keys of %s", item).isEqualTo(texts(expect.get("keys")));
                }
            }
            case "paging" -> assertThat(new LinkedHashSet<>(ids(result))).as("records collected by %s", local)
                    .hasSize(expect.get("collected").asInt());
            default -> throw new AssertionError("unknown case kind " + c.get("kind"));
        }
    }

    /** Asserts the case is refused: naming {@code property} when given, else as the server refuses it. */
    private static void assertRefused(SyncTable<ObjectNode> table, LocalCase local, String property) {
        if (property != null) {
            assertThatThrownBy(() -> local.run(table)).as("refusal of %s", local)
                    .isInstanceOf(InvalidQueryException.class).hasMessageContaining("'" + property + "'");
        } else {
            assertThatThrownBy(() -> local.run(table)).as("refusal of %s", local)
                    .isInstanceOfAny(InvalidQueryException.class, IllegalArgumentException.class);
        }
    }

    private enum Outcome { ANSWER, REFUSE, SKIP }

    /**
     * What the local store must do with a case.
     *
     * @param detail for {@code REFUSE} the undeclared property the refusal must name ({@code null}: any refusal, as
     *               the server's 400), for {@code SKIP} the reason
     */
    private record Plan(Outcome outcome, String detail) {
    }

    /**
     * A corpus query as calls of the local query API.
     *
     * @param parameters the query string's parameters, in order, as the corpus writes them (unencoded)
     */
    private record LocalCase(Map<String, String> parameters, int status) {
        static LocalCase of(JsonNode c) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String pair : c.get("query").asText().split("&")) {
                if (!pair.isEmpty()) {
                    int eq = pair.indexOf('=');
                    parameters.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
                }
            }
            return new LocalCase(parameters, c.get("expect").get("status").asInt());
        }

        /**
         * The plan for this case on {@code table}: skipped when the local API cannot express it or the server's
         * answer comes from something other than query semantics; refused when the server refuses it or it names a
         * property the table does not declare; answered otherwise.
         */
        Plan plan(TableDefinition table) {
            for (String option : List.of("$skip", "$top")) {
                String value = parameters.get(option);
                if (value != null && !INTEGER.matcher(value).matches()) {
                    return new Plan(Outcome.SKIP, NOT_EXPRESSIBLE);
                }
            }
            if (parameters.containsKey("$top") && Integer.parseInt(parameters.get("$top")) > SERVER_MAX_TOP) {
                return new Plan(Outcome.SKIP, SERVER_LIMIT);
            }
            if (status != 200 && selection().stream()
                    .anyMatch(name -> PROPERTY_NAME.matcher(name).matches() && table.column(name) == null)) {
                return new Plan(Outcome.SKIP, SERVER_SCHEMA);
            }
            if (status != 200) {
                return new Plan(Outcome.REFUSE, null);
            }
            Set<String> names = new LinkedHashSet<>(orderKeys().keySet());
            if (parameters.containsKey("$filter")) {
                collectProperties(FilterParser.defaults().parseFilter(parameters.get("$filter")), names);
            }
            for (String name : names) {
                if (table.column(name) == null) {
                    return new Plan(Outcome.REFUSE, name);
                }
            }
            return new Plan(Outcome.ANSWER, null);
        }

        QueryResult<ObjectNode> run(SyncTable<ObjectNode> table) {
            TableQuery<ObjectNode> query = table.query();
            parameters.forEach((name, value) -> {
                switch (name) {
                    case "$filter" -> query.where(value);
                    case "$skip" -> query.skip(Integer.parseInt(value));
                    case "$top" -> query.top(Integer.parseInt(value));
                    case "$select" -> query.select(selection().toArray(new String[0]));
                    case "$count", "$inlinecount" -> {
                        if (value.equals("true") || value.equals("allpages")) {
                            query.includeTotalCount();
                        }
                    }
                    case "$orderby" -> orderKeys().forEach((property, descending) -> {
                        if (descending) {
                            query.orderByDescending(property);
                        } else {
                            query.orderBy(property);
                        }
                    });
                    default -> query.parameter(name, value);
                }
            });
            return query.list();
        }

        /** The number of records the whole (unpaged) local answer has. */
        int expectedItems(int matchCount) {
            int skip = Integer.parseInt(parameters.getOrDefault("$skip", "0"));
            int available = Math.max(0, matchCount - skip);
            return parameters.containsKey("$top") ? Math.min(available, Integer.parseInt(parameters.get("$top")))
                    : available;
        }

        private List<String> selection() {
            String select = parameters.get("$select");
            return select == null ? List.of() : List.of(select.split(","));
        }

        /** The {@code $orderby} keys: property to descending, as an app would spell them one call each. */
        private Map<String, Boolean> orderKeys() {
            Map<String, Boolean> keys = new LinkedHashMap<>();
            String orderBy = parameters.get("$orderby");
            if (orderBy != null) {
                for (String key : orderBy.split(",")) {
                    String trimmed = key.trim();
                    boolean descending = trimmed.endsWith(" desc");
                    boolean direction = descending || trimmed.endsWith(" asc");
                    keys.put(direction ? trimmed.substring(0, trimmed.lastIndexOf(' ')).trim() : trimmed, descending);
                }
            }
            return keys;
        }

        private static void collectProperties(Filter filter, Set<String> names) {
            if (filter instanceof Filter.Property property) {
                names.add(property.name());
            } else if (filter instanceof Filter.And and) {
                collectProperties(and.left(), names);
                collectProperties(and.right(), names);
            } else if (filter instanceof Filter.Or or) {
                collectProperties(or.left(), names);
                collectProperties(or.right(), names);
            } else if (filter instanceof Filter.Not not) {
                collectProperties(not.operand(), names);
            } else if (filter instanceof Filter.Negate negate) {
                collectProperties(negate.operand(), names);
            } else if (filter instanceof Filter.Comparison comparison) {
                collectProperties(comparison.left(), names);
                collectProperties(comparison.right(), names);
            } else if (filter instanceof Filter.Arithmetic arithmetic) {
                collectProperties(arithmetic.left(), names);
                collectProperties(arithmetic.right(), names);
            } else if (filter instanceof Filter.In in) {
                collectProperties(in.value(), names);
                in.items().forEach(item -> collectProperties(item, names));
            } else if (filter instanceof Filter.Call call) {
                call.arguments().forEach(argument -> collectProperties(argument, names));
            }
        }

        @Override
        public String toString() {
            return parameters.toString();
        }
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String> ids(QueryResult<ObjectNode> result) {
        return result.items().stream().map(item -> item.get("id").asText()).toList();
    }

    private static Set<String> keys(ObjectNode record) {
        Set<String> keys = new LinkedHashSet<>();
        record.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
