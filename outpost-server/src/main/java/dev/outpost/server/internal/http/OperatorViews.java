package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.Timestamps;
import dev.outpost.server.internal.events.ChangeHub;
import dev.outpost.server.internal.metrics.Installations;
import dev.outpost.server.internal.metrics.ServerMetrics;
import dev.outpost.server.internal.store.Database;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's read-only views, each behind the {@link AdminGate}: {@code GET /metrics} (Prometheus text),
 * {@code GET /outpost/v1/installations} (the fleet) and {@code GET /outpost/v1/status} (a summary for the console).
 * Thread-safe.
 */
final class OperatorViews {
    private static final Logger LOG = LoggerFactory.getLogger(OperatorViews.class);
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    private final AdminGate gate;
    private final Telemetry telemetry;
    private final Database database;
    private final ChangeHub hub;
    private final String version;
    private final boolean dynamic;

    OperatorViews(AdminGate gate, Telemetry telemetry, Database database, ChangeHub hub, String version,
                  boolean dynamic) {
        this.gate = gate;
        this.telemetry = telemetry;
        this.database = database;
        this.hub = hub;
        this.version = version;
        this.dynamic = dynamic;
    }

    /** {@code GET /metrics}: every meter in the Prometheus text format, with the fleet counted afresh. */
    void metrics(Context ctx) {
        gate.check(ctx, "metrics");
        refreshFleet();
        ctx.status(200).contentType(ServerMetrics.contentType()).result(telemetry.metrics().scrape());
    }

    /** {@code GET /outpost/v1/installations?limit=N}: the installations seen most recently, newest first. */
    void installations(Context ctx) {
        gate.check(ctx, "the installations");
        int limit = limit(ctx.queryParam("limit"));
        List<Installations.Installation> found = telemetry.installations().list(limit);
        ObjectNode body = RequestLimits.JSON.createObjectNode();
        ArrayNode list = body.putArray("installations");
        for (Installations.Installation installation : found) {
            ObjectNode item = list.addObject();
            item.put("id", installation.id());
            item.put("user", installation.user());
            item.put("protocol", installation.protocol());
            item.put("firstSeen", Timestamps.format(installation.firstSeen()));
            item.put("lastSeen", Timestamps.format(installation.lastSeen()));
            if (installation.queueDepth() == null) {
                item.putNull("queueDepth");
            } else {
                item.put("queueDepth", installation.queueDepth());
            }
            item.put("conflicts", installation.conflicts());
            ArrayNode tables = item.putArray("tables");
            for (Installations.TablePosition position : installation.tables()) {
                ObjectNode table = tables.addObject();
                table.put("table", position.table());
                table.put("pulledThrough", Timestamps.format(position.pulledThrough()));
                table.put("head", position.head() == null ? null : Timestamps.format(position.head()));
                table.put("behindMillis", position.behindMillis());
            }
        }
        ctx.status(200).contentType("application/json").result(body.toString());
    }

    /** {@code GET /outpost/v1/status}: the server at a glance (always 200; {@code status} says whether it is up). */
    void status(Context ctx) {
        gate.check(ctx, "the status");
        boolean up = database.healthy();
        Installations.Summary fleet = up ? refreshFleet() : telemetry.installations().summary();
        ServerMetrics.RequestSummary requests = telemetry.metrics().summary();
        ObjectNode body = RequestLimits.JSON.createObjectNode();
        body.put("status", up ? "ok" : "unavailable");
        body.put("version", version);
        body.put("database", database.dialect().name());
        body.put("schema", dynamic ? "dynamic" : "declared");
        body.put("uptimeSeconds", Duration.between(telemetry.startedAt(), telemetry.clock().instant()).toSeconds());
        body.put("eventStreams", hub.size());
        ObjectNode installations = body.putObject("installations");
        installations.put("total", fleet.total());
        installations.put("active24h", fleet.active());
        installations.put("queuedOperations", fleet.queuedOperations());
        installations.put("maxBehindMillis", fleet.maxBehindMillis());
        ObjectNode summary = body.putObject("requests");
        summary.put("total", requests.total());
        summary.put("errors5xx", requests.errors5xx());
        summary.put("p50Millis", Math.round(requests.p50Millis() * 10) / 10.0);
        summary.put("p99Millis", Math.round(requests.p99Millis() * 10) / 10.0);
        ctx.status(200).contentType("application/json").result(body.toString());
    }

    /** The fleet counted afresh, or as last counted when the database does not answer. */
    private Installations.Summary refreshFleet() {
        try {
            return telemetry.installations().refresh();
        } catch (RuntimeException e) {
            LOG.warn("counting the installations failed: {}", e.getMessage());
            return telemetry.installations().summary();
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        if (!NUMBER.matcher(value).matches() || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
            throw new InvalidRequestException(400, "invalidQuery", "limit must be an integer from 1 to " + MAX_LIMIT
                    + ", not '" + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
        }
        return Integer.parseInt(value);
    }
}
