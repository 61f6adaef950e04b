package dev.outpost.server.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.Timestamps;
import dev.outpost.server.sql.SqlDialect;
import dev.outpost.server.table.Column;
import dev.outpost.server.table.ColumnType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Turns rows into JSON records, as trees or straight onto a generator. Thread-safe. */
public final class RecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final double MAX_EXACT = 9_007_199_254_740_992d;

    private RecordJson() {
    }

    /** The version of a record written at {@code updatedMillis}: base64 of the 8 bytes of the milliseconds. */
    public static String version(long updatedMillis) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(Long.BYTES).putLong(updatedMillis).array());
    }

    /** Reads the current row of {@code rs} (columns in {@code columns} order, starting at index 1) as a record. */
    public static ObjectNode read(ResultSet rs, List<Column> columns, SqlDialect dialect) throws SQLException {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            node.set(column.name(), toJson(dialect.read(rs, i + 1, column.type()), column.type()));
        }
        return node;
    }

    /** Writes the current row of {@code rs} as a JSON object. */
    public static void write(JsonGenerator out, ResultSet rs, List<Column> columns, SqlDialect dialect)
            throws SQLException, IOException {
        out.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            Column column = columns.get(i);
            out.writeFieldName(column.name());
            Object value = dialect.read(rs, i + 1, column.type());
            if (value == null) {
                out.writeNull();
            } else if (column.type() == ColumnType.JSON) {
                out.writeRawValue((String) value);
            } else if (value instanceof String s) {
                out.writeString(s);
            } else if (value instanceof Boolean b) {
                out.writeBoolean(b);
            } else if (value instanceof Long l) {
                out.writeNumber(l);
            } else if (value instanceof Double d) {
                if (isWhole(d)) {
                    out.writeNumber(d.longValue());
                } else {
                    out.writeNumber(d);
                }
            } else if (value instanceof Instant instant) {
                out.writeString(Timestamps.format(instant));
            }
        }
        out.writeEndObject();
    }

    private static boolean isWhole(double d) {
        return d == Math.rint(d) && Math.abs(d) < MAX_EXACT && !(d == 0 && 1 / d < 0);
    }

    private static JsonNode toJson(Object value, ColumnType type) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (value == null) {
            return f.nullNode();
        }
        if (type == ColumnType.JSON) {
            try {
                return MAPPER.readTree((String) value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored json is not valid JSON", e);
            }
        }
        if (value instanceof String s) {
            return f.textNode(s);
        }
        if (value instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (value instanceof Long l) {
            return f.numberNode(l);
        }
        if (value instanceof Double d) {
            return isWhole(d) ? f.numberNode(d.longValue()) : f.numberNode(d);
        }
        if (value instanceof Instant instant) {
            return f.textNode(Timestamps.format(instant));
        }
        throw new IllegalStateException("unexpected value type " + value.getClass().getName());
    }
}
