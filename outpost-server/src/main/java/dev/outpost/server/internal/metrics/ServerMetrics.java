package dev.outpost.server.internal.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The server's meters, scraped in the Prometheus text format. Meters are registered once and kept in maps keyed
 * by their tags, so recording a request is a map lookup and an atomic update; the tags are bounded: route templates
 * (not raw paths), statuses, protocols, and tables that exist, at most {@value #MAX_TABLE_TAGS} of them (any more
 * are counted under {@value #OTHER_TABLE}). Thread-safe.
 */
public final class ServerMetrics {
    /** The most distinct table tags; further tables are counted under {@link #OTHER_TABLE}. */
    static final int MAX_TABLE_TAGS = 256;
    /** The table tag of tables beyond {@link #MAX_TABLE_TAGS}. */
    static final String OTHER_TABLE = "_other";

    /** The kinds of conflict a write can meet. */
    public enum Conflict {
        /** 412 (or 409 without {@code If-Match}): the record's version moved on. */
        VERSION,
        /** 409 of an insert: the id is taken. */
        DUPLICATE,
        /** 410: the record was deleted. */
        GONE;

        /** The tag value. */
        public String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private record RequestKey(String route, String method, int status, String protocol) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RequestKey, Timer> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> pushed = new ConcurrentHashMap<>();
    private final Map<String, Counter> pulled = new ConcurrentHashMap<>();
    private final Map<Conflict, Counter> conflicts = new ConcurrentHashMap<>();
    private final DistributionSummary batchSizes;
    private final Counter tombstonesPurged;
    private final Counter ignoredInstallationIds;
    // For the status summary: every request except event streams (which last as long as their client stays), with
    // percentiles over a decaying window, in a registry of its own (not scraped).
    private final Timer overall = Timer.builder("outpost.requests.overall").publishPercentiles(0.5, 0.99)
            .register(new SimpleMeterRegistry());
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong errors5xx = new AtomicLong();

    /** The meters, with the JVM's memory, threads, processor and uptime. */
    public ServerMetrics() {
        for (Conflict kind : Conflict.values()) {
            conflicts.put(kind, Counter.builder("outpost.conflicts").tag("kind", kind.tag())
                    .description("Writes refused for a conflict: version (412/409), duplicate id (409), gone (410)")
                    .register(registry));
        }
        batchSizes = DistributionSummary.builder("outpost.push.batch.size").baseUnit("operations")
                .description("Operations per native batch push").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue(10_000.0).register(registry);
        tombstonesPurged = Counter.builder("outpost.tombstones.purged")
                .description("Tombstones removed by the purge").register(registry);
        ignoredInstallationIds = Counter.builder("outpost.installations.ignored.ids")
                .description("Requests whose X-ZUMO-INSTALLATION-ID was malformed or too long (not tracked)")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry (HikariCP's tracker and the gauges register with it). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Adds a gauge read at each scrape. */
    public void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /**
     * Records a finished request.
     *
     * @param route    the route template ({@code /tables/{table}}), or {@code unmatched}
     * @param protocol {@code v2}, {@code v3}, {@code native} or {@code none}
     * @param stream   whether it was an event stream (left out of the status summary's percentiles)
     */
    public void request(String route, String method, int status, String protocol, long nanos, boolean stream) {
        Timer timer = requests.computeIfAbsent(new RequestKey(route, method, status, protocol), key ->
                Timer.builder("outpost.http.requests").description("HTTP requests by route template")
                        .tag("route", key.route()).tag("method", key.method())
                        .tag("status", Integer.toString(key.status())).tag("protocol", key.protocol())
                        .publishPercentileHistogram().register(registry));
        timer.record(nanos, TimeUnit.NANOSECONDS);
        total.incrementAndGet();
        if (status >= 500) {
            errors5xx.incrementAndGet();
        }
        if (!stream) {
            overall.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Counts records pushed to {@code table} (written by a native batch or a single insert, update or delete). */
    public void pushed(String table, int records) {
        if (records > 0) {
            tableCounter(pushed, "outpost.records.pushed", "Records written by pushes", table).increment(records);
        }
    }

    /** Counts records pulled from {@code table} (written into list and changes pages). */
    public void pulled(String table, int records) {
        if (records > 0) {
            tableCounter(pulled, "outpost.records.pulled", "Records sent in list and changes pages", table)
                    .increment(records);
        }
    }

    /** Counts a conflict. */
    public void conflict(Conflict kind) {
        conflicts.get(kind).increment();
    }

    /** Records the size of a native batch push. */
    public void batch(int operations) {
        batchSizes.record(operations);
    }

    /** Counts purged tombstones. */
    public void tombstonesPurged(int count) {
        tombstonesPurged.increment(count);
    }

    /** Counts a request whose installation id was ignored. */
    public void installationIdIgnored() {
        ignoredInstallationIds.increment();
    }

    /** The summary of the requests so far, for the status view. */
    public RequestSummary summary() {
        HistogramSnapshot snapshot = overall.takeSnapshot();
        double p50 = 0;
        double p99 = 0;
        for (ValueAtPercentile value : snapshot.percentileValues()) {
            if (value.percentile() == 0.5) {
                p50 = value.value(TimeUnit.MILLISECONDS);
            } else if (value.percentile() == 0.99) {
                p99 = value.value(TimeUnit.MILLISECONDS);
            }
        }
        return new RequestSummary(total.get(), errors5xx.get(), p50, p99);
    }

    /**
     * Requests served since the start.
     *
     * @param p50Millis the median latency over the last minute or two (Micrometer's decaying window), event streams
     *                  left out
     * @param p99Millis the 99th percentile likewise
     */
    public record RequestSummary(long total, long errors5xx, double p50Millis, double p99Millis) {
    }

    /** Every meter in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The content type of {@link #scrape()}. */
    public static String contentType() {
        return "text/plain; version=0.0.4; charset=utf-8";
    }

    private Counter tableCounter(Map<String, Counter> counters, String name, String description, String table) {
        Counter counter = counters.get(table);
        if (counter != null) {
            return counter;
        }
        String tag = counters.size() >= MAX_TABLE_TAGS ? OTHER_TABLE : table;
        return counters.computeIfAbsent(tag, key -> Counter.builder(name).description(description).tag("table", key)
                .register(registry));
    }

    /** Releases the registry. */
    public void close() {
        registry.close();
    }
}
