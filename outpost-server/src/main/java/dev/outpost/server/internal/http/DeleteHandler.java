package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.TableSchema;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code DELETE /tables/{table}/{id}}: soft-deletes (or, where the table hard-deletes, removes) a record under its
 * {@code If-Match} precondition. v2 answers 200 with the deleted record, v3 204. Deleting a tombstone is 404 (v2)
 * or 410 (v3).
 */
final class DeleteHandler implements Handler {
    private final TableServices services;

    DeleteHandler(TableServices services) {
        this.services = services;
    }

    @Override
    public void handle(Context ctx) {
        ProtocolVersion version = services.negotiator().negotiate(ctx);
        String id = TableServices.pathId(ctx);
        TableSchema schema = services.existingTable(ctx.pathParam("table"));
        String expected = TableServices.precondition(ctx, null);
        RowScope scope = services.scope(ctx, schema);
        ObjectNode deleted = services.committer().write(schema, scope.owner(),
                (connection, clock) -> services.repository().delete(connection, clock, schema, scope, id, expected));
        if (version == ProtocolVersion.V2) {
            Responses.record(ctx, 200, deleted);
        } else {
            ctx.status(204);
        }
    }
}
