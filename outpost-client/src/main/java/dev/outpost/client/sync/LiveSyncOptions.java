package dev.outpost.client.sync;

import dev.outpost.protocol.query.Query;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a live sync watches and how it paces itself: the queries it keeps pulled, how long it lets changes gather
 * before it acts, how it retries, and how often it polls a server that has no change events. Immutable; build one
 * with {@link #builder()}. Thread-safe.
 *
 * <pre>{@code
 * LiveSync live = sync.startLiveSync(LiveSyncOptions.builder()
 *         .table("todoitem")
 *         .table("tags", tags.query().where("archived eq false").toQuery(), "active-tags")
 *         .pollInterval(Duration.ofMinutes(1))
 *         .build());
 * }</pre>
 */
public final class LiveSyncOptions {
    /** The queryId of a whole table watched with {@link Builder#table(String)}. */
    public static final String WHOLE_TABLE_QUERY_ID = "live";
    /** The most tables one change stream may watch (the server's limit). */
    public static final int MAX_TABLES = 64;

    /**
     * One query a live sync keeps pulled: an incremental pull of {@code table} with {@code query}'s filter under
     * {@code queryId}, as {@code SyncTable.pull(query, queryId)} does.
     */
    public record Watch(String table, Query query, String queryId) {
        /** @throws NullPointerException if any part is {@code null} */
        public Watch {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(queryId, "queryId");
        }
    }

    private final List<Watch> watches;
    private final Duration debounce;
    private final Duration initialReconnectDelay;
    private final Duration maxReconnectDelay;
    private final Duration pollInterval;
    private final Duration idleTimeout;
    private final Duration stopTimeout;

    private LiveSyncOptions(Builder builder) {
        this.watches = List.copyOf(builder.watches);
        this.debounce = builder.debounce;
        this.initialReconnectDelay = builder.initialReconnectDelay;
        this.maxReconnectDelay = builder.maxReconnectDelay;
        this.pollInterval = builder.pollInterval;
        this.idleTimeout = builder.idleTimeout;
        this.stopTimeout = builder.stopTimeout;
    }

    /** A new builder with the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Options that keep each of {@code tables} pulled whole (see {@link Builder#table(String)}), with the defaults. */
    public static LiveSyncOptions of(String... tables) {
        Builder builder = builder();
        for (String table : tables) {
            builder.table(table);
        }
        return builder.build();
    }

    /** The watched queries, in the order they were added. */
    public List<Watch> watches() {
        return watches;
    }

    /** The distinct watched table names, in the order they were first added. */
    public List<String> tables() {
        Set<String> seen = new LinkedHashSet<>();
        List<String> tables = new ArrayList<>();
        for (Watch watch : watches) {
            if (seen.add(watch.table().toLowerCase(Locale.ROOT))) {
                tables.add(watch.table());
            }
        }
        return tables;
    }

    /** How long changes may gather before they are pulled or pushed (default 100 ms); see {@link Builder#debounce}. */
    public Duration debounce() {
        return debounce;
    }

    /** The first delay before the change events are opened again after a failure (default 0.5 s). */
    public Duration initialReconnectDelay() {
        return initialReconnectDelay;
    }

    /** The longest delay between attempts to open the change events (default 30 s). */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /** How often a server without change events is pulled and pushed to (default 30 s). */
    public Duration pollInterval() {
        return pollInterval;
    }

    /** How long the change events may stay silent before they count as lost and are opened again (default 45 s). */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** How long {@link LiveSync#stop()} waits for a pull or push in progress (default 10 s). */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** A builder that starts from these options. */
    public Builder newBuilder() {
        return new Builder(this);
    }

    /** Builds {@link LiveSyncOptions}. Not thread-safe. */
    public static final class Builder {
        private final List<Watch> watches = new ArrayList<>();
        private Duration debounce = Duration.ofMillis(100);
        private Duration initialReconnectDelay = Duration.ofMillis(500);
        private Duration maxReconnectDelay = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofSeconds(30);
        private Duration idleTimeout = Duration.ofSeconds(45);
        private Duration stopTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        private Builder(LiveSyncOptions options) {
            this.watches.addAll(options.watches);
            this.debounce = options.debounce;
            this.initialReconnectDelay = options.initialReconnectDelay;
            this.maxReconnectDelay = options.maxReconnectDelay;
            this.pollInterval = options.pollInterval;
            this.idleTimeout = options.idleTimeout;
            this.stopTimeout = options.stopTimeout;
        }

        /**
         * Keeps the whole table pulled: an incremental pull of every record under the queryId
         * {@value LiveSyncOptions#WHOLE_TABLE_QUERY_ID}.
         */
        public Builder table(String table) {
            return table(table, Query.all(), WHOLE_TABLE_QUERY_ID);
        }

        /**
         * Keeps {@code query}'s records of {@code table} pulled, incrementally under {@code queryId} (its filter is
         * used; order, paging and projection are not). A table may be watched with several queries: a change of it
         * pulls each.
         */
        public Builder table(String table, Query query, String queryId) {
            if (Objects.requireNonNull(table, "table").isBlank()) {
                throw new IllegalArgumentException("table name must not be blank");
            }
            if (Objects.requireNonNull(queryId, "queryId").isBlank()) {
                throw new IllegalArgumentException("queryId must not be blank (live pulls are incremental)");
            }
            watches.add(new Watch(table, query, queryId));
            return this;
        }

        /**
         * How long changes may gather before they are acted on: a pull waits until no change event of the table has
         * come for this long, and a push until no local write has been made for this long; neither waits more than
         * ten times this after the first change. Default 100 ms; zero acts at once.
         */
        public Builder debounce(Duration debounce) {
            this.debounce = requireNotNegative(debounce, "debounce");
            return this;
        }

        /**
         * The delays between attempts to open the change events after a failure: {@code initial}, doubling up to
         * {@code max}, each with random jitter (between half and all of it), back to {@code initial} once a
         * connection is open. Defaults 0.5 s and 30 s. Failed pulls and pushes are retried with the same delays.
         *
         * @throws IllegalArgumentException if {@code initial} is not positive or {@code max} is below it
         */
        public Builder reconnectDelay(Duration initial, Duration max) {
            requirePositive(initial, "initial reconnect delay");
            if (Objects.requireNonNull(max, "max").compareTo(initial) < 0) {
                throw new IllegalArgumentException("max reconnect delay " + max + " is below the initial " + initial);
            }
            this.initialReconnectDelay = initial;
            this.maxReconnectDelay = max;
            return this;
        }

        /** How often to pull every watched table (and push) on a server without change events (default 30 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = requirePositive(interval, "pollInterval");
            return this;
        }

        /**
         * How long the open change events may stay silent before the connection counts as lost and is opened again
         * (default 45 s; an Outpost server sends a keepalive every 15 s).
         */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = requirePositive(timeout, "idleTimeout");
            return this;
        }

        /** How long {@link LiveSync#stop()} waits for a pull or push in progress (default 10 s). */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = requireNotNegative(timeout, "stopTimeout");
            return this;
        }

        /**
         * The options.
         *
         * @throws IllegalStateException if no table is watched, or more than {@value LiveSyncOptions#MAX_TABLES}
         *                               distinct tables are
         */
        public LiveSyncOptions build() {
            if (watches.isEmpty()) {
                throw new IllegalStateException("a live sync watches at least one table: call table(…) first");
            }
            LiveSyncOptions options = new LiveSyncOptions(this);
            if (options.tables().size() > MAX_TABLES) {
                throw new IllegalStateException("a live sync watches at most " + MAX_TABLES + " tables, not "
                        + options.tables().size());
            }
            return options;
        }

        private static Duration requireNotNegative(Duration duration, String name) {
            if (Objects.requireNonNull(duration, name).isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative: " + duration);
            }
            return duration;
        }

        private static Duration requirePositive(Duration duration, String name) {
            if (Objects.requireNonNull(duration, name).isNegative() || duration.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + duration);
            }
            return duration;
        }
    }
}
