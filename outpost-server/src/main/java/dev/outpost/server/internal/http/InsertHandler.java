package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ParsedRecord;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /tables/{table}}: inserts a record (creating the table or columns with the dynamic schema) and
 * answers 201 with the stored record, its {@code ETag} and (v3) {@code Location}. An existing id is a 409 with the
 * server's record.
 */
final class InsertHandler implements Handler {
    private final TableServices services;

    InsertHandler(TableServices services) {
        this.services = services;
    }

    @Override
    public void handle(Context ctx) {
        ProtocolVersion version = services.negotiator().negotiate(ctx);
        String table = ctx.pathParam("table");
        ParsedRecord record = services.readInsert(ctx, version, table);
        TableSchema schema = services.registry().prepareWrite(table, record, true);
        Map<Column, Object> values = TableRegistry.values(schema, record);
        String id = record.id() != null ? record.id() : UUID.randomUUID().toString();
        RowScope scope = services.scope(ctx, schema);
        ObjectNode stored = services.committer().write(schema, scope.owner(), services.repository().insertion(schema,
                scope, id, values));
        if (version == ProtocolVersion.V3) {
            ctx.header("Location", Responses.origin(ctx) + "/tables/" + NextLink.encode(table) + "/"
                    + NextLink.encode(id));
        }
        Responses.record(ctx, 201, stored);
    }
}
