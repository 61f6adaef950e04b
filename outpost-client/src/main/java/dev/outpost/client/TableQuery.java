package dev.outpost.client;

import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.OrderBy;
import dev.outpost.protocol.query.Query;
import java.util.Objects;
import java.util.function.Function;

/**
 * A fluent query on a table, the same for a {@link RemoteTable} (sent to the server as OData) and a local
 * {@code SyncTable} (run against the local store with the server's semantics).
 *
 * <pre>{@code
 * QueryResult<Todo> open = table.query()
 *         .where("complete eq false")
 *         .orderBy("text")
 *         .top(20)
 *         .includeTotalCount()
 *         .list();
 * }</pre>
 *
 * <p>Not thread-safe: build and run it on one thread. {@link #toQuery()} gives the immutable {@link Query}.
 *
 * @param <T> the record type
 */
public final class TableQuery<T> {
    private final Query.Builder query;
    private final Function<Query, QueryResult<T>> runner;

    private TableQuery(Query.Builder query, Function<Query, QueryResult<T>> runner) {
        this.query = query;
        this.runner = runner;
    }

    /** A query builder whose {@link #list()} hands the built query to {@code runner}. */
    static <T> TableQuery<T> over(Function<Query, QueryResult<T>> runner) {
        return new TableQuery<>(Query.builder(), Objects.requireNonNull(runner, "runner"));
    }

    /**
     * Adds an OData {@code $filter} (v2 or v3 syntax), combined with {@code and} with any filter already set.
     *
     * @throws dev.outpost.protocol.query.InvalidQueryException if the text is not a valid filter
     */
    public TableQuery<T> where(String filter) {
        return where(FilterParser.defaults().parseFilter(filter));
    }

    /** Adds a filter tree, combined with {@code and} with any filter already set. */
    public TableQuery<T> where(Filter filter) {
        query.and(filter);
        return this;
    }

    /** Sorts by {@code property} ascending (after any sort keys already given). */
    public TableQuery<T> orderBy(String property) {
        query.orderBy(OrderBy.asc(property));
        return this;
    }

    /** Sorts by {@code property} descending (after any sort keys already given). */
    public TableQuery<T> orderByDescending(String property) {
        query.orderBy(OrderBy.desc(property));
        return this;
    }

    /**
     * Skips the first {@code count} records.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public TableQuery<T> skip(int count) {
        query.skip(count);
        return this;
    }

    /**
     * Returns at most {@code count} records.
     *
     * @throws IllegalArgumentException if {@code count} is negative
     */
    public TableQuery<T> top(int count) {
        query.top(count);
        return this;
    }

    /** Returns only these properties. */
    public TableQuery<T> select(String... properties) {
        query.select(properties);
        return this;
    }

    /** Includes soft-deleted records (remote queries only; the local store keeps no tombstones). */
    public TableQuery<T> includeDeleted() {
        query.includeDeleted(true);
        return this;
    }

    /** Asks for the total number of matching records, regardless of skip and top. */
    public TableQuery<T> includeTotalCount() {
        query.includeTotalCount(true);
        return this;
    }

    /**
     * Adds a custom query parameter (remote queries only).
     *
     * @throws IllegalArgumentException if the name starts with {@code $} or {@code __}
     */
    public TableQuery<T> parameter(String name, String value) {
        query.parameter(name, value);
        return this;
    }

    /** The query built so far. */
    public Query toQuery() {
        return query.build();
    }

    /**
     * Runs the query.
     *
     * @throws dev.outpost.protocol.query.InvalidQueryException for a local query the server would refuse, or that
     *     filters or sorts on a property the local table does not define (see {@code SyncTable.query()})
     */
    public QueryResult<T> list() {
        return runner.apply(toQuery());
    }
}
