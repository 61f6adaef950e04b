package dev.outpost.client.internal.json;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.SystemColumns;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
    /** The type's properties as Jackson maps them, in declaration order; empty for JSON records. */
    private final List<BeanPropertyDefinition> properties;
    /** The lower-case names of {@link #properties}. */
    private final Set<String> declared;
    /** Reads records of the type, its deserializer found once (not per record). */
    private final ObjectReader reader;

    private RecordMapper(Class<T> type) {
        this.type = type;
        if (type == ObjectNode.class) {
            this.properties = List.of();
        } else {
            JavaType javaType = Json.MAPPER.constructType(type);
            BeanDescription description = Json.MAPPER.getSerializationConfig().introspect(javaType);
            this.properties = List.copyOf(description.findProperties());
        }
        Set<String> names = new HashSet<>();
        for (BeanPropertyDefinition property : properties) {
            names.add(property.getName().toLowerCase(Locale.ROOT));
        }
        this.declared = Set.copyOf(names);
        this.reader = Json.MAPPER.readerFor(type);
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
        try {
            // Straight from the tree (convertValue would write the tree out to a buffer and parse it back).
            return reader.readValue(node);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot map a record to " + type.getSimpleName() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The local record an update writes, before its system properties are copied in: {@code changed} without them,
     * plus, for an app type, the properties of {@code stored} that the type does not declare (so that an update
     * through a class that knows only some of a record's properties keeps the others). A JSON record replaces every
     * property.
     */
    public ObjectNode updated(ObjectNode stored, ObjectNode changed) {
        ObjectNode row = Records.insertBody(changed);
        if (type == ObjectNode.class) {
            return row;
        }
        for (Map.Entry<String, JsonNode> field : stored.properties()) {
            String name = field.getKey();
            if (!declared.contains(name.toLowerCase(Locale.ROOT)) && !Records.isServerManaged(name)
                    && Json.getIgnoreCase(row, name) == null) {
                row.set(name, field.getValue());
            }
        }
        return row;
    }

    /** Adds a typed column for every property of the record type that is not a system column. */
    public TableDefinition.Builder addColumns(TableDefinition.Builder builder) {
        for (BeanPropertyDefinition property : properties) {
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
