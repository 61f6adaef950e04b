package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.sync.ChangesPage;
import dev.outpost.server.internal.sql.SqlDialect;
import dev.outpost.server.internal.sql.SqlFragment;
import dev.outpost.server.internal.store.PullCursor;
import dev.outpost.server.internal.store.TableRepository;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownColumnException;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /outpost/v1/tables/{table}/changes}: the native cursor pull. Records (tombstones included) after the
 * cursor in {@code (updatedAt, id)} order, streamed from the result set into a {@link ChangesPage}, with the cursor
 * of the last one and whether more follow.
 */
final class ChangesHandler implements Handler {
    static final int DEFAULT_LIMIT = 1000;
    static final int MAX_LIMIT = 10_000;
    private static final Pattern NUMBER = Pattern.compile("\\d{1,9}");

    private final TableServices services;

    ChangesHandler(TableServices services) {
        this.services = services;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        String table = ctx.pathParam("table");
        String filterText = null;
        String cursorText = null;
        int limit = DEFAULT_LIMIT;
        for (Map.Entry<String, String> parameter : QueryOptions.decode(ctx.queryString())) {
            String name = parameter.getKey();
            if (name.equals("$filter")) {
                filterText = parameter.getValue();
            } else if (name.equals("cursor")) {
                cursorText = parameter.getValue();
            } else if (name.equals("limit")) {
                limit = limit(parameter.getValue());
            }
        }
        Filter filter = filterText == null ? null : services.parser().parseFilter(filterText);
        PullCursor cursor = cursor(cursorText);
        TableSchema schema = services.registry().find(table);
        if (schema == null) {
            if (!services.registry().isDynamic()) {
                throw new UnknownTableException(table);
            }
            ctx.contentType("application/json");
            ctx.result(new ChangesPage(List.of(), cursor == null ? null : cursor.encode(), false).toBytes());
            return;
        }
        if (filter != null && services.registry().isDynamic()) {
            try {
                services.translator().translate(filter, schema, filterText);
            } catch (UnknownColumnException e) {
                schema = services.registry().refreshFor(schema, e.column());
            }
        }
        refuseBeyondHorizon(schema, cursor);
        // Taken before the page is read: every change committed by now is in this page or after it.
        Instant now = services.settings().horizon().clock().instant();
        SqlFragment where = services.scope(ctx, schema).and(where(schema, filter, filterText, cursor));
        List<TableRepository.Sort> order = List.of(new TableRepository.Sort(schema.column(SystemColumns.UPDATED_AT),
                false));
        ctx.status(200);
        ctx.contentType("application/json");
        try (JsonGenerator out = RequestLimits.JSON.getFactory().createGenerator(ctx.outputStream(),
                JsonEncoding.UTF8)) {
            ChangesPage.writeStart(out);
            TableRepository.Page page = services.repository().stream(schema,
                    new TableRepository.Select(schema.columns(), where, order, 0, limit), out);
            PullCursor next = page.written() > 0 ? new PullCursor(page.lastUpdatedAt(), page.lastId()) : cursor;
            if (next != null && !page.more()) {
                next = next.seenThrough(now);
            }
            ChangesPage.writeEnd(out, next == null ? null : next.encode(), page.more());
            services.telemetry().pulled(ctx, "native", schema, page.written(), next == null ? now : next.seen());
        }
    }

    /**
     * A cursor older than the tombstone horizon may be past deletions whose tombstones were purged: 410
     * {@code cursorExpired}, so that the client pulls the table again from the start.
     */
    private void refuseBeyondHorizon(TableSchema schema, PullCursor cursor) {
        if (cursor == null || !schema.softDelete()) {
            return;
        }
        services.settings().horizon().now().filter(horizon -> cursor.seen().isBefore(horizon))
                .ifPresent(horizon -> {
                    throw new InvalidRequestException(410, "cursorExpired", "the cursor has seen the changes up to "
                            + Timestamps.format(cursor.seen()) + ", before the tombstone horizon "
                            + Timestamps.format(horizon) + " (deletions older than the tombstone retention are"
                            + " forgotten): pull the table again without a cursor");
                });
    }

    private static int limit(String value) {
        if (!NUMBER.matcher(value).matches() || Integer.parseInt(value) < 1 || Integer.parseInt(value) > MAX_LIMIT) {
            throw new InvalidRequestException(400, "invalidQuery", "limit must be an integer from 1 to " + MAX_LIMIT
                    + ", not '" + (value.length() > 20 ? value.substring(0, 20) + "…" : value) + "'");
        }
        return Integer.parseInt(value);
    }

    private static PullCursor cursor(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return PullCursor.decode(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(400, "invalidCursor", "malformed cursor: pass back the cursor of the "
                    + "previous page unchanged");
        }
    }

    private SqlFragment where(TableSchema schema, Filter filter, String filterText, PullCursor cursor) {
        SqlDialect dialect = services.repository().database().dialect();
        List<String> conditions = new ArrayList<>();
        List<Object> params = new ArrayList<>();
        if (cursor != null) {
            conditions.add("(" + dialect.quote("updatedAt") + ", " + dialect.quote("id") + ") > (?, ?)");
            params.add(cursor.updatedAt());
            params.add(cursor.id());
        }
        if (filter != null) {
            SqlFragment translated = services.translator().translate(filter, schema, filterText);
            conditions.add(translated.sql());
            params.addAll(translated.params());
        }
        return conditions.isEmpty() ? null : new SqlFragment(String.join(" AND ", conditions), params);
    }
}
