package dev.outpost.server.internal.http;

import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.auth.TableAccess.Operation;
import dev.outpost.server.internal.events.ChangeHub;
import dev.outpost.server.internal.table.Names;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /outpost/v1/events?tables=a,b}: a Server-Sent Events stream announcing that watched tables changed
 * (see {@code docs/native-protocol.md}). The request is checked as a read of every table (access rules, row
 * rules); then the stream is registered with the {@link ChangeHub} before the tables' current positions are read
 * in the caller's view, so that no change committed in between is missed.
 */
final class EventsHandler implements Handler {
    /** The most tables one stream may watch. */
    static final int MAX_TABLES = 64;
    private static final Pattern POSITION = Pattern.compile("\\d{1,19}");
    /**
     * The response buffer of a stream. Jetty's default (32 KiB, direct memory) is held for as long as a response is
     * open: 10,000 streams held 313 MiB of it (outpost-bench live). Events are small and written one at a time, so
     * a small buffer costs nothing in throughput.
     */
    static final int RESPONSE_BUFFER = 512;

    private final TableServices services;
    private final ChangeHub hub;

    EventsHandler(TableServices services, ChangeHub hub) {
        this.services = services;
        this.hub = hub;
    }

    @Override
    public void handle(Context ctx) {
        Map<String, String> tables = tables(ctx);
        Caller caller = services.caller(ctx);
        Map<String, TableSchema> schemas = new HashMap<>();
        for (Map.Entry<String, String> table : tables.entrySet()) {
            String name = table.getValue();
            services.settings().access().of(name).check(caller, Operation.READ, name);
            TableSchema schema = services.registry().find(name);
            if (schema == null && !services.registry().isDynamic()) {
                throw new UnknownTableException(name);
            }
            if (schema != null) {
                schemas.put(table.getKey(), schema);
            } else {
                // Not created yet: an anonymous caller may still not watch a table whose rows have a rule.
                services.settings().rows().stamps(caller, name, false);
            }
        }
        Map<String, Long> lastEventId = lastEventId(ctx.header("Last-Event-ID"));
        EventStream stream = new EventStream(hub, tables, caller.userId(), expiry(caller));
        hub.register(stream);
        Map<String, Long> current = new HashMap<>();
        try {
            for (Map.Entry<String, TableSchema> table : schemas.entrySet()) {
                TableSchema schema = table.getValue();
                Instant last = services.repository().lastChange(schema,
                        services.settings().rows().scope(caller, schema));
                current.put(table.getKey(), last == null ? 0L : last.toEpochMilli());
            }
        } catch (RuntimeException e) {
            hub.unregister(stream);
            throw e;
        }
        ctx.status(200);
        ctx.res().setContentType("text/event-stream;charset=utf-8");
        ctx.header("X-Accel-Buffering", "no");
        ctx.res().setBufferSize(RESPONSE_BUFFER);
        ctx.future(() -> {
            try {
                stream.open(ctx.res().getOutputStream(), current, lastEventId);
            } catch (java.io.IOException | RuntimeException e) {
                stream.end();
            }
            return stream.done();
        });
    }

    /** The {@code tables} parameter: key → name as written, in order, without repeats. */
    private static Map<String, String> tables(Context ctx) {
        String value = null;
        for (Map.Entry<String, String> parameter : QueryOptions.decode(ctx.queryString())) {
            if (parameter.getKey().equals("tables")) {
                value = value == null ? parameter.getValue() : value + "," + parameter.getValue();
            }
        }
        if (value == null || value.isBlank()) {
            throw new InvalidRequestException(400, "invalidQuery", "name the tables to watch: "
                    + "/outpost/v1/events?tables=todoitem,tags");
        }
        Map<String, String> tables = new LinkedHashMap<>();
        for (String name : value.split(",", -1)) {
            String trimmed = name.trim();
            if (!Names.isValidTableName(trimmed)) {
                throw new InvalidRequestException(400, "invalidQuery", "'" + shorten(trimmed) + "' in tables is "
                        + "not a table name (a letter, then up to 63 letters, digits or _)");
            }
            tables.putIfAbsent(Names.key(trimmed), trimmed);
        }
        if (tables.size() > MAX_TABLES) {
            throw new InvalidRequestException(400, "invalidQuery", "a stream watches at most " + MAX_TABLES
                    + " tables, not " + tables.size());
        }
        return tables;
    }

    /** A {@code Last-Event-ID} as table key → position, or {@code null} when there is none. */
    static Map<String, Long> lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Map<String, Long> positions = new HashMap<>();
        String[] pairs = header.trim().split(",", -1);
        if (pairs.length > MAX_TABLES) {
            throw invalidEventId(header);
        }
        for (String pair : pairs) {
            int colon = pair.lastIndexOf(':');
            if (colon < 0 || !Names.isValidTableName(pair.substring(0, colon))
                    || !POSITION.matcher(pair.substring(colon + 1)).matches()) {
                throw invalidEventId(header);
            }
            try {
                positions.put(Names.key(pair.substring(0, colon)), Long.parseLong(pair.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw invalidEventId(header);
            }
        }
        return positions;
    }

    private static InvalidRequestException invalidEventId(String header) {
        return new InvalidRequestException(400, "invalidEventId", "malformed Last-Event-ID '" + shorten(header)
                + "': send back the id of the last event received, unchanged");
    }

    private static Instant expiry(Caller caller) {
        Object exp = caller.claims().get("exp");
        if (exp instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        if (exp instanceof java.util.Date date) {
            return date.toInstant();
        }
        return null;
    }

    private static String shorten(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
