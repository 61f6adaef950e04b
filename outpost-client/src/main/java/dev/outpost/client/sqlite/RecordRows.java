package dev.outpost.client.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.SystemColumns;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Records as rows of a local table and back: one column per defined property, and a hidden JSON column
 * ({@value TableDefinition#EXTRAS_COLUMN}) for the properties the table does not define, so that records round-trip
 * without loss. Stateless.
 */
final class RecordRows {
    private RecordRows() {
    }

    /**
     * The upsert of a whole record into {@code table}: every column, then the extras, replacing the row with the same
     * id.
     */
    static String upsertSql(TableDefinition table, List<TableDefinition.Column> columns) {
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        StringBuilder updates = new StringBuilder();
        for (TableDefinition.Column column : columns) {
            String quoted = SqliteQueryTranslator.quote(column.name());
            names.append(quoted).append(", ");
            values.append("?, ");
            if (!column.name().equals(SystemColumns.ID)) {
                updates.append(quoted).append(" = excluded.").append(quoted).append(", ");
            }
        }
        String extras = SqliteQueryTranslator.quote(TableDefinition.EXTRAS_COLUMN);
        return "INSERT INTO " + SqliteQueryTranslator.quote(table.name()) + " (" + names + extras
                + ") VALUES (" + values + "?) ON CONFLICT(" + SqliteQueryTranslator.quote(SystemColumns.ID)
                + ") DO UPDATE SET " + updates + extras + " = excluded." + extras;
    }

    /**
     * Binds {@code record} to an upsert of {@code columns} (then the extras): defined properties to their columns,
     * the others, as one JSON object, to the extras.
     *
     * @throws IllegalArgumentException if the record has no string id, or a value does not fit its column
     */
    static void bindRecord(PreparedStatement statement, TableDefinition table,
            List<TableDefinition.Column> columns, ObjectNode record) throws SQLException {
        // Fast path: properties spelled exactly like their columns (what servers send). Only when some are not
        // found that way are the record's properties matched ignoring case, and the rest go to the extras.
        JsonNode[] values = new JsonNode[columns.size()];
        int matched = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = record.get(columns.get(i).name());
            if (values[i] != null) {
                matched++;
            }
        }
        ObjectNode extras = null;
        if (matched < record.size()) {
            for (Map.Entry<String, JsonNode> field : record.properties()) {
                TableDefinition.Column column = table.column(field.getKey());
                if (column == null) {
                    if (extras == null) {
                        extras = Json.object();
                    }
                    extras.set(field.getKey(), field.getValue());
                } else if (!column.name().equals(field.getKey())) {
                    values[columns.indexOf(column)] = field.getValue();
                }
            }
        }
        JsonNode id = values[0];
        if (id == null || !id.isTextual() || id.asText().isEmpty()) {
            throw new IllegalArgumentException("a record for local table '" + table.name()
                    + "' has no string id");
        }
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, ColumnValues.toSql(table.name(), columns.get(i), values[i]));
        }
        statement.setObject(values.length + 1, extras == null ? null : Json.write(extras));
    }

    /**
     * The columns to read: only the selected ones when each names a defined column (in the table's order, as
     * {@code *} would give them); otherwise all, and the selection is made from the records.
     */
    static String selectList(TableDefinition table, List<String> selection) {
        if (selection.isEmpty()) {
            return "*";
        }
        Set<String> wanted = new HashSet<>();
        for (String name : selection) {
            TableDefinition.Column column = table.column(name);
            if (column == null) {
                return "*";
            }
            wanted.add(column.name());
        }
        StringBuilder list = new StringBuilder();
        for (TableDefinition.Column column : table.columns().values()) {
            if (wanted.contains(column.name())) {
                list.append(list.length() == 0 ? "" : ", ").append(SqliteQueryTranslator.quote(column.name()));
            }
        }
        return list.toString();
    }

    /** The records the rows of {@code rs} hold (only the {@code selection}'s properties, when it has any). */
    static List<ObjectNode> read(ResultSet rs, TableDefinition table, List<String> selection) throws SQLException {
        List<ObjectNode> rows = new ArrayList<>();
        ResultSetMetaData meta = rs.getMetaData();
        int count = meta.getColumnCount();
        TableDefinition.Column[] columns = new TableDefinition.Column[count + 1];
        int extrasIndex = -1;
        for (int i = 1; i <= count; i++) {
            String name = meta.getColumnName(i);
            if (name.equalsIgnoreCase(TableDefinition.EXTRAS_COLUMN)) {
                extrasIndex = i;
            } else {
                columns[i] = table.column(name);
            }
        }
        while (rs.next()) {
            ObjectNode row = Json.object();
            for (int i = 1; i <= count; i++) {
                if (columns[i] != null) {
                    row.set(columns[i].name(), ColumnValues.fromSql(rs, i, columns[i].type()));
                }
            }
            if (extrasIndex > 0) {
                String extras = rs.getString(extrasIndex);
                if (extras != null) {
                    Json.parse(extras).properties().forEach(f -> row.set(f.getKey(), f.getValue()));
                }
            }
            rows.add(selection.isEmpty() ? row : project(row, selection));
        }
        return rows;
    }

    private static ObjectNode project(ObjectNode row, List<String> selection) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (String name : selection) {
            wanted.put(name.toLowerCase(Locale.ROOT), name);
        }
        ObjectNode projected = Json.object();
        row.properties().forEach(field -> {
            if (wanted.containsKey(field.getKey().toLowerCase(Locale.ROOT))) {
                projected.set(field.getKey(), field.getValue());
            }
        });
        return projected;
    }
}
