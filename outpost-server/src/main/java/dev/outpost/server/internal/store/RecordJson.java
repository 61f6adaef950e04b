package dev.outpost.server.internal.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import dev.outpost.server.internal.sql.SqlDialect;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Turns rows into JSON records, as trees or straight onto a generator. Thread-safe. */
final class RecordJson {
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

    /**
     * Writes rows of one column list as JSON objects, straight from the result set: field names are encoded once,
     * text and canonical dates go from the driver's UTF-8 bytes to the output without a {@link String} in between
     * (on a page of 1,000 records that decoding and re-encoding was a large part of the server's time), and the
     * last row's {@code updatedAt} and {@code id} are kept as read, to be decoded once at the end of the page.
     * Confined to one query's thread.
     */
    public static final class RowWriter {
        private final List<Column> columns;
        private final SqlDialect dialect;
        private final SerializedString[] names;
        private final int updatedAtIndex;
        private final int idIndex;
        private byte[] lastUpdatedAt;
        private byte[] lastId;

        /** A writer of rows whose columns are {@code columns}, in that order from index 1. */
        public RowWriter(List<Column> columns, SqlDialect dialect) {
            this.columns = columns;
            this.dialect = dialect;
            this.names = new SerializedString[columns.size()];
            int updatedAt = -1;
            int id = -1;
            for (int i = 0; i < names.length; i++) {
                Column column = columns.get(i);
                names[i] = new SerializedString(column.name());
                if (column.system() && column.name().equals(SystemColumns.UPDATED_AT)) {
                    updatedAt = i;
                } else if (column.system() && column.name().equals(SystemColumns.ID)) {
                    id = i;
                }
            }
            // The page's position is known only when both of its parts are selected.
            boolean keyed = updatedAt >= 0 && id >= 0;
            this.updatedAtIndex = keyed ? updatedAt : -1;
            this.idIndex = keyed ? id : -1;
        }

        /** Writes the current row of {@code rs} as a JSON object. */
        public void write(JsonGenerator out, ResultSet rs) throws SQLException, IOException {
            out.writeStartObject();
            for (int i = 0; i < names.length; i++) {
                ColumnType type = columns.get(i).type();
                out.writeFieldName(names[i]);
                switch (type) {
                    case STRING: {
                        byte[] text = dialect.readUtf8(rs, i + 1);
                        if (text == null) {
                            out.writeNull();
                        } else {
                            out.writeUTF8String(text, 0, text.length);
                        }
                        if (i == idIndex) {
                            lastId = text;
                        }
                        break;
                    }
                    case DATE: {
                        byte[] text = dialect.readCanonicalDate(rs, i + 1);
                        if (text == null) {
                            out.writeNull();
                        } else {
                            out.writeUTF8String(text, 0, text.length);
                        }
                        if (i == updatedAtIndex) {
                            lastUpdatedAt = text;
                        }
                        break;
                    }
                    default:
                        writeValue(out, dialect.read(rs, i + 1, type), type);
                        break;
                }
            }
            out.writeEndObject();
        }

        /** The {@code updatedAt} of the last row written, or {@code null} (none, or not among the columns). */
        public Instant lastUpdatedAt() {
            return lastUpdatedAt == null ? null
                    : Timestamps.parse(new String(lastUpdatedAt, StandardCharsets.US_ASCII));
        }

        /** The {@code id} of the last row written, or {@code null} (none, or not among the columns). */
        public String lastId() {
            return lastId == null ? null : new String(lastId, StandardCharsets.UTF_8);
        }
    }

    private static void writeValue(JsonGenerator out, Object value, ColumnType type) throws IOException {
        if (value == null) {
            out.writeNull();
        } else if (type == ColumnType.JSON) {
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
