package dev.outpost.client.internal.json;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.SystemColumns;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.Objects;

/**
 * Maps an app's record type to JSON and back with Jackson: plain classes and records alike. Properties match by
 * name ignoring case, so {@code id}, {@code updatedAt} and {@code version} are found by name; a differently named
 * Java property can carry them with {@code @JsonProperty("id")}. Immutable, thread-safe.
 *
 * @param <T> the record type
 */
public final class RecordMapper<T> {
    private static final RecordMapper<ObjectNode> JSON = new RecordMapper<>(ObjectNode.class);

    private final Class<T> type;

    private RecordMapper(Class<T> type) {
        this.type = type;
    }

    /** The identity mapping for JSON records. */
    public static RecordMapper<ObjectNode> json() {
        return JSON;
    }

    /** A mapping for {@code type}. */
    public static <T> RecordMapper<T> of(Class<T> type) {
        Objects.requireNonNull(type, "type");
        return new RecordMapper<>(type);
    }

    /** The record type. */
    public Class<T> type() {
        return type;
    }

    /** A JSON copy of {@code item}. */
    public ObjectNode toJson(T item) {
        Objects.requireNonNull(item, "item");
        if (item instanceof ObjectNode node) {
            return node.deepCopy();
        }
        return Json.MAPPER.valueToTree(item);
    }

    /** The record a JSON object maps to. */
    public T fromJson(ObjectNode node) {
        if (type == ObjectNode.class) {
            return type.cast(node.deepCopy());
        }
        return Json.MAPPER.convertValue(node, type);
    }

    /** Adds a typed column for every property of the record type that is not a system column. */
    public TableDefinition.Builder addColumns(TableDefinition.Builder builder) {
        if (type == ObjectNode.class) {
            return builder;
        }
        JavaType javaType = Json.MAPPER.constructType(type);
        BeanDescription description = Json.MAPPER.getSerializationConfig().introspect(javaType);
        for (BeanPropertyDefinition property : description.findProperties()) {
            String name = property.getName();
            if (SystemColumns.isSystem(name)) {
                continue;
            }
            builder.column(name, columnType(property.getPrimaryType().getRawClass()));
        }
        return builder;
    }

    private static ColumnType columnType(Class<?> raw) {
        if (raw == String.class || raw == char.class || raw == Character.class || raw.isEnum()
                || raw == java.util.UUID.class) {
            return ColumnType.STRING;
        }
        if (raw == boolean.class || raw == Boolean.class) {
            return ColumnType.BOOLEAN;
        }
        if (raw == int.class || raw == long.class || raw == short.class || raw == byte.class
                || raw == Integer.class || raw == Long.class || raw == Short.class || raw == Byte.class
                || raw == BigInteger.class) {
            return ColumnType.INTEGER;
        }
        if (raw == double.class || raw == float.class || raw == Double.class || raw == Float.class
                || raw == BigDecimal.class) {
            return ColumnType.NUMBER;
        }
        if (raw == Instant.class || raw == OffsetDateTime.class || raw == ZonedDateTime.class
                || Date.class.isAssignableFrom(raw)) {
            return ColumnType.DATE;
        }
        return ColumnType.JSON;
    }
}
