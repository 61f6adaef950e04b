package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.query.OrderBy;
import dev.outpost.server.internal.sql.SqlFragment;
import dev.outpost.server.internal.store.TableRepository;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownColumnException;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /tables/{table}}: a page of records, streamed from the result set into the response. v2 answers a bare
 * array (or {@code {"results":[…],"count":N}}) with all of {@code $top} (up to {@code --max-top}), or a page of the
 * v2 page size and a {@code Link} header for the next one when there is no {@code $top}; v3 answers
 * {@code {"items":[…],"count":N,"nextLink":…}}, a page of at most the page size. {@code id} is always the final sort key.
 */
final class ListHandler implements Handler {
    private final TableServices services;

    ListHandler(TableServices services) {
        this.services = services;
    }

    @Override
    public void handle(Context ctx) throws IOException {
        ProtocolVersion version = services.negotiator().negotiate(ctx);
        String table = ctx.pathParam("table");
        QueryOptions options = QueryOptions.parse(ctx.queryString(), ctx.header(OutpostHeaders.ZUMO_OPTIONS),
                services.settings().maxTop(), services.parser());
        TableSchema schema = services.registry().find(table);
        if (schema == null) {
            if (!services.registry().isDynamic()) {
                throw new UnknownTableException(table);
            }
            writeEmpty(ctx, version, options);
            return;
        }
        Refreshed refreshed = refreshed(schema, options);
        schema = refreshed.schema();
        List<Column> columns = selected(schema, options.select);
        List<TableRepository.Sort> sorts = sorts(schema, options.orderBy);
        SqlFragment where = services.scope(ctx, schema).and(where(schema, options, refreshed.filter()));
        long skip = options.skip == null ? 0 : options.skip;
        int pageSize = version == ProtocolVersion.V2 ? services.settings().pageSizeV2() : services.settings().pageSizeV3();
        // v2 answers a $top (at most --max-top) in one page, as the official Node server does: its clients do not
        // follow Link on reads. v3 pages are capped by the page size and continue with nextLink.
        int page = options.top == null ? pageSize
                : version == ProtocolVersion.V2 ? (int) (long) options.top : (int) Math.min(options.top, pageSize);
        Long count = options.count ? services.repository().count(schema, where) : null;
        // Taken before the page is read: a last page means the caller has seen every change committed by now.
        Instant now = services.settings().horizon().clock().instant();

        ctx.status(200);
        ctx.contentType("application/json");
        if (schema.softDelete()) {
            // Outpost's client compares its pull position with it (official clients ignore it): see PROTOCOL.md.
            services.settings().horizon().now().ifPresent(horizon -> {
                ctx.header(OutpostHeaders.TOMBSTONE_HORIZON, Timestamps.format(horizon));
                ctx.header(OutpostHeaders.SERVER_TIME, Timestamps.format(horizon.plus(
                        services.settings().horizon().retention())));
            });
        }
        if (version == ProtocolVersion.V2) {
            boolean more = page > 0 && (options.top == null || options.top > page)
                    && (count != null ? skip + page < count : services.repository().existsBeyond(schema, where,
                    skip + page));
            if (more) {
                String query = NextLink.query(options.parameters, skip + page,
                        options.top == null ? null : options.top - page);
                ctx.header("Link", NextLink.linkHeader(Responses.origin(ctx) + "/tables/" + NextLink.encode(table)
                        + "?" + query));
            }
        }
        TableRepository.Page written;
        try (JsonGenerator out = RequestLimits.JSON.getFactory().createGenerator(ctx.outputStream(),
                JsonEncoding.UTF8)) {
            boolean envelope = version == ProtocolVersion.V3 || count != null;
            if (envelope) {
                out.writeStartObject();
                out.writeFieldName(version == ProtocolVersion.V3 ? "items" : "results");
            }
            out.writeStartArray();
            TableRepository.Page result = page == 0 ? new TableRepository.Page(0, false, null, null)
                    : services.repository().stream(schema, new TableRepository.Select(columns, where, sorts, skip,
                    page), out);
            written = result;
            out.writeEndArray();
            if (envelope) {
                if (count != null) {
                    out.writeNumberField("count", count);
                }
                if (version == ProtocolVersion.V3) {
                    String next = null;
                    if (result.more() && (options.top == null || options.top > result.written())) {
                        String query = NextLink.query(options.parameters, skip + result.written(),
                                options.top == null ? null : options.top - result.written());
                        next = wantsPath(ctx) ? "/tables/" + NextLink.encode(table) + "?" + query : query;
                    }
                    out.writeStringField("nextLink", next);
                }
                out.writeEndObject();
            }
            // Before the generator closes: the page's end may reach the client as it does.
            services.telemetry().pulled(ctx, version == ProtocolVersion.V2 ? "v2" : "v3", schema, written.written(),
                    pulledThrough(written, sorts, now));
        }
    }

    /**
     * How far a page brings its caller: every change up to {@code now} when it is the last page; the last record's
     * {@code updatedAt} when more follow in {@code updatedAt} order (an incremental pull's pages); otherwise not
     * known ({@code null}).
     */
    private static Instant pulledThrough(TableRepository.Page page, List<TableRepository.Sort> sorts, Instant now) {
        if (!page.more()) {
            return now;
        }
        boolean byUpdatedAt = !sorts.isEmpty() && !sorts.get(0).descending()
                && sorts.get(0).column().name().equals(SystemColumns.UPDATED_AT);
        return byUpdatedAt ? page.lastUpdatedAt() : null;
    }

    private void writeEmpty(Context ctx, ProtocolVersion version, QueryOptions options) {
        ctx.status(200);
        ctx.contentType("application/json");
        if (version == ProtocolVersion.V3) {
            ctx.result(options.count ? "{\"items\":[],\"count\":0,\"nextLink\":null}" : "{\"items\":[],\"nextLink\":null}");
        } else {
            ctx.result(options.count ? "{\"results\":[],\"count\":0}" : "[]");
        }
    }

    private static boolean wantsPath(Context ctx) {
        String options = ctx.header(OutpostHeaders.ZUMO_OPTIONS);
        return options != null && options.toLowerCase(Locale.ROOT).replace(" ", "").contains("nextlink=path");
    }

    /**
     * The schema to answer with, and the filter already translated against it ({@code null} when not yet
     * translated).
     */
    private record Refreshed(TableSchema schema, SqlFragment filter) {
    }

    /** Reloads the schema when the query names a column it does not know (another replica may have added it). */
    private Refreshed refreshed(TableSchema schema, QueryOptions options) {
        List<String> names = new ArrayList<>(options.select);
        options.orderBy.forEach(o -> names.add(o.property()));
        for (String name : names) {
            if (schema.column(name) == null) {
                return new Refreshed(services.registry().refreshFor(schema, name), null);
            }
        }
        if (options.filter != null && services.registry().isDynamic()) {
            try {
                // Kept: translating is a good part of a small query's time, so it is done once.
                return new Refreshed(schema, services.translator().translate(options.filter, schema,
                        options.filterText));
            } catch (UnknownColumnException e) {
                return new Refreshed(services.registry().refreshFor(schema, e.column()), null);
            }
        }
        return new Refreshed(schema, null);
    }

    private static List<Column> selected(TableSchema schema, List<String> select) {
        if (select.isEmpty()) {
            return schema.columns();
        }
        List<Column> wanted = new ArrayList<>();
        for (String name : select) {
            Column column = name.indexOf('/') >= 0 ? null : schema.column(name);
            if (column == null) {
                throw new UnknownColumnException(schema.name(), name, "$select");
            }
            if (!wanted.contains(column)) {
                wanted.add(column);
            }
        }
        List<Column> ordered = new ArrayList<>(schema.columns());
        ordered.retainAll(wanted);
        return ordered;
    }

    private static List<TableRepository.Sort> sorts(TableSchema schema, List<OrderBy> orderBy) {
        List<TableRepository.Sort> sorts = new ArrayList<>();
        for (OrderBy key : orderBy) {
            Column column = key.property().indexOf('/') >= 0 ? null : schema.column(key.property());
            if (column == null) {
                throw new UnknownColumnException(schema.name(), key.property(), "$orderby");
            }
            if (column.type() == ColumnType.JSON) {
                throw new dev.outpost.protocol.query.InvalidQueryException("$orderby", key.property(), -1,
                        "cannot order by json column '" + column.name() + "'");
            }
            sorts.add(new TableRepository.Sort(column, key.descending()));
        }
        return sorts;
    }

    private SqlFragment where(TableSchema schema, QueryOptions options, SqlFragment translated) {
        SqlFragment filter = translated != null || options.filter == null ? translated
                : services.translator().translate(options.filter, schema, options.filterText);
        if (options.includeDeleted || !schema.softDelete()) {
            return filter;
        }
        String deleted = services.repository().database().dialect().quote(SystemColumns.DELETED) + " = ?";
        if (filter == null) {
            return new SqlFragment(deleted, List.of(Boolean.FALSE));
        }
        List<Object> params = new ArrayList<>(filter.params());
        params.add(Boolean.FALSE);
        return new SqlFragment("(" + filter.sql() + ") AND " + deleted, params);
    }
}
