package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.server.internal.store.RecordGoneException;
import dev.outpost.server.internal.store.RecordNotFoundException;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code GET /tables/{table}/{id}}: one record with its {@code ETag}. A tombstone is 404 in v2, 410 in v3 unless
 * {@code __includedeleted=true}; a v3 {@code If-None-Match} that matches is a 304.
 */
final class ReadHandler implements Handler {
    private final TableServices services;

    ReadHandler(TableServices services) {
        this.services = services;
    }

    @Override
    public void handle(Context ctx) {
        ProtocolVersion version = services.negotiator().negotiate(ctx);
        String id = TableServices.pathId(ctx);
        TableSchema schema = services.registry().find(ctx.pathParam("table"));
        if (schema == null) {
            if (services.registry().isDynamic()) {
                throw new RecordNotFoundException();
            }
            throw new UnknownTableException(ctx.pathParam("table"));
        }
        ObjectNode record = services.repository().find(schema, services.scope(ctx, schema), id);
        if (record == null) {
            throw new RecordNotFoundException();
        }
        if (record.path(SystemColumns.DELETED).asBoolean(false)
                && (version == ProtocolVersion.V2 || !includeDeleted(ctx))) {
            throw new RecordGoneException(record);
        }
        String current = record.path(SystemColumns.VERSION).asText();
        String ifNoneMatch = ctx.header("If-None-Match");
        if (version == ProtocolVersion.V3 && ifNoneMatch != null && matches(ifNoneMatch, current)) {
            ctx.status(304);
            ctx.header("ETag", ETags.quote(current));
            return;
        }
        Responses.record(ctx, 200, record);
    }

    private static boolean matches(String header, String current) {
        for (String tag : header.split(",")) {
            String parsed = ETags.parse(tag);
            if (ETags.ANY.equals(parsed) || current.equals(parsed)) {
                return true;
            }
        }
        return false;
    }

    static boolean includeDeleted(Context ctx) {
        for (var param : ctx.queryParamMap().entrySet()) {
            if (param.getKey().equalsIgnoreCase(OutpostHeaders.INCLUDE_DELETED) && !param.getValue().isEmpty()
                    && param.getValue().get(0).equalsIgnoreCase("true")) {
                return true;
            }
        }
        String options = ctx.header(OutpostHeaders.ZUMO_OPTIONS);
        return options != null && options.toLowerCase(java.util.Locale.ROOT).contains("include:deleted");
    }
}
