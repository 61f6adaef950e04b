package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.TableAccess;
import dev.outpost.server.internal.auth.TableAccess.Operation;
import dev.outpost.server.internal.rows.RowRule;
import dev.outpost.server.internal.rows.RowRules;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Locale;

/**
 * {@code GET /outpost/v1/tables}: the tables overview for operators (the console), behind the {@link AdminGate}:
 * <pre>{@code
 * {"schema": "dynamic"|"declared",
 *  "tables": [{"name", "declared", "softDelete", "columns": [{"name", "type", "system"}],
 *              "access": {"read", "insert", "update", "delete", "undelete"},
 *              "rows": <the row rule in force, perUser written out, or null>, "perUser", "ownerColumn"}]}
 * }</pre>
 * Access values are rules as a tables file writes them ({@code anonymous}, {@code authenticated},
 * {@code disabled}, {@code role:NAME}). On the dynamic schema the tables are those that exist now, each with the
 * rules of {@code --dynamic-access}. Thread-safe.
 */
final class TablesHandler implements Handler {
    private final TableRegistry registry;
    private final AccessControl access;
    private final RowRules rows;
    private final AdminGate admin;

    TablesHandler(TableRegistry registry, AccessControl access, RowRules rows, AdminGate admin) {
        this.registry = registry;
        this.access = access;
        this.rows = rows;
        this.admin = admin;
    }

    @Override
    public void handle(Context ctx) throws JsonProcessingException {
        admin.check(ctx, "the tables overview");
        ctx.status(200).contentType("application/json").result(RequestLimits.JSON.writeValueAsBytes(overview()));
    }

    /** The overview as JSON. */
    ObjectNode overview() {
        ObjectNode root = RequestLimits.JSON.createObjectNode();
        root.put("schema", registry.isDynamic() ? "dynamic" : "declared");
        ArrayNode tables = root.putArray("tables");
        for (TableSchema schema : registry.tables()) {
            tables.add(table(schema));
        }
        return root;
    }

    private ObjectNode table(TableSchema schema) {
        ObjectNode table = RequestLimits.JSON.createObjectNode();
        table.put("name", schema.name());
        table.put("declared", schema.declared());
        table.put("softDelete", schema.softDelete());
        ArrayNode columns = table.putArray("columns");
        for (Column column : schema.columns()) {
            columns.addObject().put("name", column.name()).put("type", column.type().schemaName())
                    .put("system", column.system());
        }
        TableAccess rules = access.of(schema.name());
        ObjectNode byOperation = table.putObject("access");
        for (Operation operation : Operation.values()) {
            byOperation.put(operation.name().toLowerCase(Locale.ROOT), rules.rule(operation).text());
        }
        RowRule rule = rows.of(schema.name(), schema.declared());
        table.put("rows", rule == null ? null : rule.text());
        table.put("perUser", rule != null && rule.ownerColumn() != null);
        table.put("ownerColumn", rule == null ? null : rule.ownerColumn());
        return table;
    }
}
