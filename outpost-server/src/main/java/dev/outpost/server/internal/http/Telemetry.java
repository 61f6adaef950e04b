package dev.outpost.server.internal.http;

import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.metrics.Installations;
import dev.outpost.server.internal.metrics.ServerMetrics;
import dev.outpost.server.internal.store.DuplicateIdException;
import dev.outpost.server.internal.store.RecordGoneException;
import dev.outpost.server.internal.store.VersionMismatchException;
import dev.outpost.server.internal.table.TableSchema;
import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * What the routes tell the metrics and the fleet: every finished request (route template, method, status,
 * protocol, time; the installation that sent it, with its queue depth and the conflicts it met), records pulled
 * and pushed, batch sizes. Cheap on the request path: meters are cached, installations noted in memory and written
 * by {@link Installations#flush()} every few seconds. Thread-safe.
 *
 * @param metrics       the meters
 * @param installations the fleet
 * @param clock         the server's clock
 * @param startedAt     when the server started (for the status view's uptime)
 */
record Telemetry(ServerMetrics metrics, Installations installations, Clock clock, Instant startedAt) {
    private static final String CONFLICTS = "outpost.conflicts";
    private static final String EVENTS_ROUTE = "/outpost/v1/events";
    private static final Pattern DEPTH = Pattern.compile("\\d{1,12}");

    /**
     * Counts the records written into a pull's page and notes how far the installation has now pulled (here, not
     * when the request is finished: a streamed page may reach its client before).
     *
     * @param protocol {@code v2}, {@code v3} or {@code native}
     */
    void pulled(Context ctx, String protocol, TableSchema schema, int written, Instant pulledThrough) {
        metrics.pulled(schema.name(), written);
        String id = ctx.header(OutpostHeaders.ZUMO_INSTALLATION_ID);
        if (pulledThrough != null && Installations.isValidId(id)) {
            installations.pulled(id, protocol, schema.key(), schema.name(), pulledThrough);
        }
    }

    /** Counts records pushed to a table. */
    void pushed(String table, int records) {
        metrics.pushed(table, records);
    }

    /** Counts a conflict met by the request's operation (a batch may meet several). */
    void conflict(Context ctx, ServerMetrics.Conflict kind) {
        metrics.conflict(kind);
        Integer count = ctx.attribute(CONFLICTS);
        ctx.attribute(CONFLICTS, count == null ? 1 : count + 1);
    }

    /**
     * Notes the conflict a route's exception means, if any: a version mismatch (412, or 409 without
     * {@code If-Match}), a taken id (409), a write to a deleted record (410 in v3, 404 in v2).
     */
    void noteConflict(Context ctx, Exception e) {
        if (e instanceof VersionMismatchException) {
            conflict(ctx, ServerMetrics.Conflict.VERSION);
        } else if (e instanceof DuplicateIdException) {
            conflict(ctx, ServerMetrics.Conflict.DUPLICATE);
        } else if (e instanceof RecordGoneException && !ctx.method().name().equals("GET")) {
            conflict(ctx, ServerMetrics.Conflict.GONE);
        }
    }

    /** Records a finished request: its meters, and the installation that sent it. */
    void finished(Context ctx, float millis, TableServices services) {
        String route = route(ctx);
        String protocol = protocol(ctx, route);
        int status = ctx.statusCode();
        metrics.request(route, ctx.method().name(), status, protocol, (long) (millis * 1_000_000L),
                route.equals(EVENTS_ROUTE));
        boolean tableRoute = route.startsWith("/tables/");
        if (tableRoute && status >= 200 && status < 300 && !ctx.method().name().equals("GET")) {
            TableSchema schema = services.registry().find(ctx.pathParamMap().getOrDefault("table", ""));
            if (schema != null) {
                metrics.pushed(schema.name(), 1);
            }
        }
        String id = ctx.header(OutpostHeaders.ZUMO_INSTALLATION_ID);
        if (id == null || !(tableRoute || protocol.equals("native"))) {
            return;
        }
        if (!Installations.isValidId(id)) {
            // Ignored, not refused: the request is served; a client whose id is not one is simply not tracked.
            metrics.installationIdIgnored();
            return;
        }
        Caller caller = ctx.attribute(TableRoutes.CALLER);
        Integer conflicts = ctx.attribute(CONFLICTS);
        if (!installations.seen(id, caller == null ? null : caller.userId(), protocol, queueDepth(ctx),
                conflicts == null ? 0 : conflicts)) {
            metrics.installationIdIgnored();
        }
    }

    /** The queue depth the request reports, or {@code null} (none, or not a whole number: ignored). */
    private static Long queueDepth(Context ctx) {
        String value = ctx.header(OutpostHeaders.QUEUE_DEPTH);
        return value != null && DEPTH.matcher(value.trim()).matches() ? Long.valueOf(value.trim()) : null;
    }

    /** The route template the request matched, or {@code unmatched}. */
    private static String route(Context ctx) {
        Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        return endpoint == null ? "unmatched" : endpoint.path;
    }

    /** {@code native} for Outpost's own sync routes, {@code v2}/{@code v3} for table routes, else {@code none}. */
    private static String protocol(Context ctx, String route) {
        if (route.startsWith("/tables/")) {
            ProtocolVersion version = ctx.attribute(ProtocolNegotiator.ATTRIBUTE);
            if (version == null) {
                // Refused before negotiation (access rules, a bad version): what it asked for; none is v3.
                String header = ctx.header(OutpostHeaders.ZUMO_API_VERSION);
                version = header == null ? ProtocolVersion.V3 : ProtocolVersion.fromHeader(header);
            }
            return version == null ? "unknown" : version == ProtocolVersion.V2 ? "v2" : "v3";
        }
        if (route.equals("/outpost/v1/push") || route.equals(EVENTS_ROUTE) || route.startsWith("/outpost/v1/tables/")) {
            return "native";
        }
        return "none";
    }
}
