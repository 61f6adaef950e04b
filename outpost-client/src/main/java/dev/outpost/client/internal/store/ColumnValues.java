package dev.outpost.client.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;

/** Converts JSON values to what a column stores, and back. Stateless, thread-safe. */
public final class ColumnValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ColumnValues() {
    }

    /**
     * The value to bind for {@code value} in {@code column}, or {@code null}.
     *
     * @throws IllegalArgumentException if the value does not fit the column's type (the message names the column
     *     and the JSON type, never the value)
     */
    public static Object toSql(String table, TableDefinition.Column column, JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        ColumnType type = column.type();
        try {
            switch (type) {
                case STRING:
                    return value.isContainerNode() ? Json.write(value) : value.asText();
                case BOOLEAN:
                    if (value.isBoolean()) {
                        return value.booleanValue() ? 1 : 0;
                    }
                    if (value.isNumber()) {
                        return value.doubleValue() != 0 ? 1 : 0;
                    }
                    if (value.isTextual()) {
                        String text = value.asText().toLowerCase(Locale.ROOT);
                        if (text.equals("true") || text.equals("false")) {
                            return text.equals("true") ? 1 : 0;
                        }
                    }
                    break;
                case INTEGER:
                    if (value.isIntegralNumber() && value.canConvertToLong()) {
                        return value.longValue();
                    }
                    if (value.isNumber() && value.doubleValue() == Math.rint(value.doubleValue())) {
                        return (long) value.doubleValue();
                    }
                    if (value.isBoolean()) {
                        return value.booleanValue() ? 1L : 0L;
                    }
                    if (value.isTextual()) {
                        return Long.parseLong(value.asText().trim());
                    }
                    break;
                case NUMBER:
                    if (value.isNumber()) {
                        return value.doubleValue();
                    }
                    if (value.isTextual()) {
                        return Double.parseDouble(value.asText().trim());
                    }
                    break;
                case DATE:
                    if (value.isTextual()) {
                        return Timestamps.format(Timestamps.parse(value.asText()));
                    }
                    if (value.isIntegralNumber()) {
                        return Timestamps.formatMillis(value.longValue());
                    }
                    break;
                case JSON:
                    return Json.write(value);
                default:
                    break;
            }
        } catch (IllegalArgumentException e) {
            throw mismatch(table, column, value, e);
        }
        throw mismatch(table, column, value, null);
    }

    private static IllegalArgumentException mismatch(String table, TableDefinition.Column column, JsonNode value,
            Throwable cause) {
        return new IllegalArgumentException("column '" + column.name() + "' of local table '" + table + "' is "
                + column.type() + "; a JSON " + value.getNodeType().name().toLowerCase(Locale.ROOT)
                + " value does not fit it", cause);
    }

    /** Reads column {@code index} of the current row as JSON ({@link NullNode} for SQL NULL). */
    public static JsonNode fromSql(ResultSet rs, int index, ColumnType type) throws SQLException {
        switch (type) {
            case BOOLEAN: {
                long v = rs.getLong(index);
                return rs.wasNull() ? NullNode.getInstance() : NODES.booleanNode(v != 0);
            }
            case INTEGER: {
                long v = rs.getLong(index);
                return rs.wasNull() ? NullNode.getInstance() : NODES.numberNode(v);
            }
            case NUMBER: {
                double v = rs.getDouble(index);
                return rs.wasNull() ? NullNode.getInstance() : NODES.numberNode(v);
            }
            case JSON: {
                String text = rs.getString(index);
                return text == null ? NullNode.getInstance() : Json.parse(text);
            }
            default: {
                String text = rs.getString(index);
                return text == null ? NullNode.getInstance() : NODES.textNode(text);
            }
        }
    }
}
