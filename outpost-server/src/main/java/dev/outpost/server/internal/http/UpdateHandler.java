package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.InvalidRecordException;
import dev.outpost.server.internal.table.ParsedRecord;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;

/**
 * {@code PATCH /tables/{table}/{id}} (merge) and {@code PUT /tables/{table}/{id}} (replace): updates a record under
 * its version precondition and answers 200 with the stored record. v3 {@code PATCH {"deleted":false}} undeletes. A
 * precondition failure is 412 ({@code If-Match}) or 409 (version in the body) with the server's record.
 */
final class UpdateHandler implements Handler {
    private final TableServices services;
    private final boolean replace;

    UpdateHandler(TableServices services, boolean replace) {
        this.services = services;
        this.replace = replace;
    }

    @Override
    public void handle(Context ctx) {
        ProtocolVersion version = services.negotiator().negotiate(ctx);
        String urlId = ctx.pathParamMap().containsKey("id") ? TableServices.pathId(ctx) : null;
        ParsedRecord record = services.readRecord(ctx, version);
        String id = urlId;
        if (id == null) {
            if (record.id() == null) {
                throw new InvalidRecordException("invalidId", "id", "an update needs the record's id in the URL or "
                        + "the body");
            }
            id = record.id();
        }
        TableServices.requireSameId(id, record);
        TableSchema existing = services.existingTable(ctx.pathParam("table"));
        TableSchema schema = services.registry().prepareWrite(existing.name(), record, false);
        Map<Column, Object> values = TableRegistry.values(schema, record);
        String expected = TableServices.precondition(ctx, record);
        boolean undelete = version == ProtocolVersion.V3 && Boolean.FALSE.equals(record.deleted());
        boolean allowDeleted = version == ProtocolVersion.V3 && ReadHandler.includeDeleted(ctx);
        String recordId = id;
        RowScope scope = services.scope(ctx, schema);
        ObjectNode stored = services.committer().write(schema, scope.owner(), (connection, clock) ->
                services.repository().update(connection, clock, schema, scope, recordId, values, replace, expected,
                        undelete, allowDeleted));
        Responses.record(ctx, 200, stored);
    }
}
