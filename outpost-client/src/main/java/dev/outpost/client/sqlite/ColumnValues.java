package dev.outpost.client.sqlite;

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
final class ColumnValues {
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
                        String text = value.asText();
                        return isCanonical(text) ? text : Timestamps.format(Timestamps.parse(text));
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

    /** Whether {@code text} is already {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (the common case: no parsing needed). */
    static boolean isCanonical(String text) {
        if (text.length() != 24 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.'
                || text.charAt(23) != 'Z') {
            return false;
        }
        for (int i : new int[] {0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22}) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        int month = (text.charAt(5) - '0') * 10 + (text.charAt(6) - '0');
        int day = (text.charAt(8) - '0') * 10 + (text.charAt(9) - '0');
        int hour = (text.charAt(11) - '0') * 10 + (text.charAt(12) - '0');
        int minute = (text.charAt(14) - '0') * 10 + (text.charAt(15) - '0');
        int second = (text.charAt(17) - '0') * 10 + (text.charAt(18) - '0');
        return month >= 1 && month <= 12 && day >= 1 && day <= 28 && hour <= 23 && minute <= 59 && second <= 59;
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
