package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.TableSchema;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code POST /tables/{table}/{id}} (v2 undelete): clears {@code deleted} under the {@code If-Match} precondition
 * and answers 201 with the record.
 */
final class UndeleteHandler implements Handler {
    private final TableServices services;

    UndeleteHandler(TableServices services) {
        this.services = services;
    }

    @Override
    public void handle(Context ctx) {
        services.negotiator().negotiate(ctx);
        String id = TableServices.pathId(ctx);
        TableSchema schema = services.existingTable(ctx.pathParam("table"));
        String expected = TableServices.precondition(ctx, null);
        RowScope scope = services.scope(ctx, schema);
        ObjectNode stored = services.committer().write(schema, scope.owner(),
                (connection, clock) -> services.repository().undelete(connection, clock, schema, scope, id, expected));
        Responses.record(ctx, 201, stored);
    }
}
