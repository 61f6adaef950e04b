package dev.outpost.protocol.query;

import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.ProtocolVersion;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table query: filter, order, paging, projection and flags. Immutable; build one with {@link #builder()} and
 * derive variants with {@link #newBuilder()}.
 *
 * <pre>{@code
 * Query open = Query.builder()
 *         .filter(FilterParser.defaults().parseFilter("complete eq false"))
 *         .orderBy(OrderBy.asc("text"))
 *         .top(50)
 *         .build();
 * }</pre>
 */
public final class Query {
    private static final Query ALL = builder().build();

    private final Filter filter;
    private final List<OrderBy> orderBy;
    private final Integer skip;
    private final Integer top;
    private final List<String> select;
    private final boolean includeDeleted;
    private final boolean includeTotalCount;
    private final Map<String, String> parameters;

    private Query(Builder builder) {
        this.filter = builder.filter;
        this.orderBy = List.copyOf(builder.orderBy);
        this.skip = builder.skip;
        this.top = builder.top;
        this.select = List.copyOf(builder.select);
        this.includeDeleted = builder.includeDeleted;
        this.includeTotalCount = builder.includeTotalCount;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.parameters));
    }

    /** A query with no filter, order, paging or projection. */
    public static Query all() {
        return ALL;
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from this query's values. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** The filter, or {@code null} for all records. */
    public Filter filter() {
        return filter;
    }

    /** The sort keys, possibly empty. */
    public List<OrderBy> orderBy() {
        return orderBy;
    }

    /** Records to skip, or {@code null}. */
    public Integer skip() {
        return skip;
    }

    /** Records to return at most, or {@code null} for the server's page size. */
    public Integer top() {
        return top;
    }

    /** The properties to return, or empty for all. */
    public List<String> select() {
        return select;
    }

    /** Whether soft-deleted records are included. */
    public boolean includeDeleted() {
        return includeDeleted;
    }

    /** Whether the total count of matching records is requested. */
    public boolean includeTotalCount() {
        return includeTotalCount;
    }

    /** Extra query parameters passed through unchanged (names must not start with {@code $} or {@code __}). */
    public Map<String, String> parameters() {
        return parameters;
    }

    /**
     * The query as ordered, unencoded query parameters in the given dialect: {@code $filter}, {@code $orderby},
     * {@code $skip}, {@code $top}, {@code $select}, then {@code $inlinecount=allpages} (v2) or {@code $count=true}
     * (v3), {@code __includeDeleted=true}, and the extra parameters.
     */
    public Map<String, String> toParameters(ProtocolVersion dialect) {
        Map<String, String> out = new LinkedHashMap<>();
        if (filter != null) {
            out.put("$filter", FilterWriter.write(filter, dialect));
        }
        if (!orderBy.isEmpty()) {
            out.put("$orderby", FilterWriter.writeOrderBy(orderBy));
        }
        if (skip != null) {
            out.put("$skip", skip.toString());
        }
        if (top != null) {
            out.put("$top", top.toString());
        }
        if (!select.isEmpty()) {
            out.put("$select", String.join(",", select));
        }
        if (includeTotalCount) {
            if (dialect == ProtocolVersion.V2) {
                out.put("$inlinecount", "allpages");
            } else {
                out.put("$count", "true");
            }
        }
        if (includeDeleted) {
            out.put(OutpostHeaders.INCLUDE_DELETED, "true");
        }
        out.putAll(parameters);
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Query q && Objects.equals(filter, q.filter) && orderBy.equals(q.orderBy)
                && Objects.equals(skip, q.skip) && Objects.equals(top, q.top) && select.equals(q.select)
                && includeDeleted == q.includeDeleted && includeTotalCount == q.includeTotalCount
                && parameters.equals(q.parameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(filter, orderBy, skip, top, select, includeDeleted, includeTotalCount, parameters);
    }

    @Override
    public String toString() {
        return "Query" + toParameters(ProtocolVersion.V3);
    }

    /** Builds a {@link Query}. Not thread-safe. */
    public static final class Builder {
        private Filter filter;
        private final List<OrderBy> orderBy = new ArrayList<>();
        private Integer skip;
        private Integer top;
        private final List<String> select = new ArrayList<>();
        private boolean includeDeleted;
        private boolean includeTotalCount;
        private final Map<String, String> parameters = new LinkedHashMap<>();

        private Builder() {
        }

        private Builder(Query query) {
            this.filter = query.filter;
            this.orderBy.addAll(query.orderBy);
            this.skip = query.skip;
            this.top = query.top;
            this.select.addAll(query.select);
            this.includeDeleted = query.includeDeleted;
            this.includeTotalCount = query.includeTotalCount;
            this.parameters.putAll(query.parameters);
        }

        /** Sets the filter ({@code null} for none). */
        public Builder filter(Filter filter) {
            this.filter = filter;
            return this;
        }

        /** Adds {@code filter} to the existing one with {@code and}. */
        public Builder and(Filter filter) {
            Objects.requireNonNull(filter, "filter");
            this.filter = this.filter == null ? filter : new Filter.And(this.filter, filter);
            return this;
        }

        /** Appends sort keys. */
        public Builder orderBy(OrderBy... keys) {
            orderBy.addAll(List.of(keys));
            return this;
        }

        /** Replaces the sort keys. */
        public Builder orderBy(List<OrderBy> keys) {
            orderBy.clear();
            orderBy.addAll(keys);
            return this;
        }

        /** Sets {@code $skip} ({@code null} for none). */
        public Builder skip(Integer skip) {
            if (skip != null && skip < 0) {
                throw new IllegalArgumentException("skip must not be negative: " + skip);
            }
            this.skip = skip;
            return this;
        }

        /** Sets {@code $top} ({@code null} for the server's page size). */
        public Builder top(Integer top) {
            if (top != null && top < 0) {
                throw new IllegalArgumentException("top must not be negative: " + top);
            }
            this.top = top;
            return this;
        }

        /** Replaces the projection ({@code $select}); empty for all properties. */
        public Builder select(List<String> properties) {
            select.clear();
            select.addAll(properties);
            return this;
        }

        /** Replaces the projection ({@code $select}). */
        public Builder select(String... properties) {
            return select(List.of(properties));
        }

        /** Whether soft-deleted records are included. */
        public Builder includeDeleted(boolean includeDeleted) {
            this.includeDeleted = includeDeleted;
            return this;
        }

        /** Whether the total count of matching records is requested. */
        public Builder includeTotalCount(boolean includeTotalCount) {
            this.includeTotalCount = includeTotalCount;
            return this;
        }

        /**
         * Adds an extra query parameter passed through to the server.
         *
         * @throws IllegalArgumentException if the name starts with {@code $} or {@code __} (reserved)
         */
        public Builder parameter(String name, String value) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
            if (name.isEmpty() || name.startsWith("$") || name.startsWith("__")) {
                throw new IllegalArgumentException("reserved or empty query parameter name: '" + name + "'");
            }
            parameters.put(name, value);
            return this;
        }

        /** The query. */
        public Query build() {
            return new Query(this);
        }
    }
}
