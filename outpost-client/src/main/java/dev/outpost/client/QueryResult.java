package dev.outpost.client;

import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One page of query results. Immutable.
 *
 * @param items      the records
 * @param totalCount the number of matching records regardless of paging, when it was asked for
 *                   ({@link TableQuery#includeTotalCount()})
 * @param <T>        the record type
 */
public record QueryResult<T>(List<T> items, OptionalLong totalCount) {
    public QueryResult {
        items = List.copyOf(items);
        Objects.requireNonNull(totalCount, "totalCount");
    }
}
