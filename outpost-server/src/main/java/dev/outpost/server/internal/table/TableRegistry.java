package dev.outpost.server.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.protocol.Timestamps;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tables a server serves: declared in a tables file, or grown by the dynamic schema (a table appears on first
 * insert, a column when first seen, typed from its JSON value).
 *
 * <p>The schemas live in the database ({@link SchemaSource}) so that several replicas on one PostgreSQL share
 * them; a replica that meets a table or column it does not know reloads from the database before deciding that
 * it is unknown. Names match case-insensitively and the first spelling seen is canonical. Thread-safe.
 */
public final class TableRegistry {
    /** The most user columns the dynamic schema gives one table. */
    public static final int MAX_DYNAMIC_COLUMNS = 200;
    private static final Pattern DATE_ONLY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

    private final SchemaSource source;
    private final List<TableSchema> declared;
    private final int maxTables;
    private volatile Map<String, TableSchema> tables = Map.of();

    private TableRegistry(SchemaSource source, List<TableSchema> declared, int maxTables) {
        this.source = source;
        this.declared = declared;
        this.maxTables = maxTables;
    }

    /** A registry with the dynamic schema, which creates tables while the database holds fewer than {@code maxTables}. */
    public static TableRegistry dynamic(SchemaSource source, int maxTables) {
        return new TableRegistry(source, null, maxTables);
    }

    /** A registry serving exactly the {@code declared} tables. */
    public static TableRegistry declared(SchemaSource source, List<TableSchema> declared) {
        return new TableRegistry(source, List.copyOf(declared), Integer.MAX_VALUE);
    }

    /** Whether tables and columns are created on first sight. */
    public boolean isDynamic() {
        return declared == null;
    }

    /**
     * Loads the schemas from the database and, for declared tables, creates missing tables and columns.
     *
     * @throws IllegalStateException if a declared column exists in the database with another type
     */
    public void start() {
        if (declared != null) {
            Map<String, TableSchema> stored = index(source.loadAll());
            for (TableSchema table : declared) {
                TableSchema existing = stored.get(table.key());
                if (existing == null) {
                    source.createTable(table, Integer.MAX_VALUE);
                    continue;
                }
                List<Column> missing = new ArrayList<>();
                for (Column column : table.userColumns()) {
                    Column have = existing.column(column.name());
                    if (have == null) {
                        missing.add(column);
                    } else if (have.type() != column.type()) {
                        throw new IllegalStateException("column '" + column.name() + "' of table '" + table.name()
                                + "' is " + column.type().schemaName() + " in the tables file but "
                                + have.type().schemaName() + " in the database; Outpost never changes or drops "
                                + "columns: fix the tables file or migrate the column by hand");
                    }
                }
                if (!missing.isEmpty()) {
                    source.addColumns(existing, missing, Integer.MAX_VALUE);
                }
            }
        }
        reload();
    }

    /** Reloads every schema from the database. */
    public synchronized void reload() {
        Map<String, TableSchema> stored = index(source.loadAll());
        if (declared == null) {
            tables = stored;
            return;
        }
        Map<String, TableSchema> map = new LinkedHashMap<>();
        for (TableSchema table : declared) {
            TableSchema inDb = stored.get(table.key());
            List<Column> columns = new ArrayList<>();
            for (Column column : table.userColumns()) {
                Column have = inDb == null ? null : inDb.column(column.name());
                columns.add(new Column(column.name(), have == null ? column.sqlName() : have.sqlName(),
                        column.type(), false));
            }
            map.put(table.key(), new TableSchema(inDb == null ? table.name() : inDb.name(), table.softDelete(),
                    true, columns));
        }
        tables = Collections.unmodifiableMap(map);
    }

    private static Map<String, TableSchema> index(List<TableSchema> schemas) {
        Map<String, TableSchema> map = new LinkedHashMap<>();
        for (TableSchema schema : schemas) {
            map.put(schema.key(), schema);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Every table currently known. */
    public List<TableSchema> tables() {
        return List.copyOf(tables.values());
    }

    /**
     * The table named {@code name} (ignoring case), or {@code null} when there is none even after reloading from
     * the database (dynamic schema).
     *
     * @throws UnknownTableException if {@code name} is not a valid table name
     */
    public TableSchema find(String name) {
        if (!Names.isValidTableName(name)) {
            throw new UnknownTableException(name);
        }
        TableSchema schema = tables.get(Names.key(name));
        if (schema == null && isDynamic()) {
            reload();
            schema = tables.get(Names.key(name));
        }
        return schema;
    }

    /**
     * The table named {@code name}.
     *
     * @throws UnknownTableException if there is no such table
     */
    public TableSchema require(String name) {
        TableSchema schema = find(name);
        if (schema == null) {
            throw new UnknownTableException(name);
        }
        return schema;
    }

    /**
     * The current schema of {@code schema}'s table after reloading it from the database when {@code column} is not
     * in it (another replica may have added it).
     */
    public TableSchema refreshFor(TableSchema schema, String column) {
        if (schema.column(column) != null || !isDynamic()) {
            return schema;
        }
        reload();
        TableSchema fresh = tables.get(schema.key());
        return fresh == null ? schema : fresh;
    }

    /**
     * The schema a write of {@code record} to table {@code name} needs. With the dynamic schema, a missing table
     * ({@code create} only) or missing columns are created; every value is checked against its column's type first,
     * so a refused record changes nothing.
     *
     * @throws UnknownTableException  if the table does not exist and cannot be created here
     * @throws UnknownColumnException if a declared table lacks a column of the record
     * @throws InvalidRecordException if a value has the wrong type for its column
     */
    public TableSchema prepareWrite(String name, ParsedRecord record, boolean create) {
        TableSchema found = find(name);
        if (found == null) {
            if (!isDynamic() || !create) {
                throw new UnknownTableException(name);
            }
            List<Column> columns = newColumns(null, record);
            requireColumnLimit(name, columns.size());
            source.createTable(new TableSchema(name, true, false, columns), maxTables);
            reload();
            found = require(name);
        }
        TableSchema current = found;
        for (String property : record.properties().keySet()) {
            if (current.column(property) == null) {
                current = refreshFor(current, property);
                break;
            }
        }
        for (Map.Entry<String, JsonNode> property : record.properties().entrySet()) {
            Column column = current.column(property.getKey());
            if (column == null && current.declared()) {
                throw new UnknownColumnException(current.name(), property.getKey(), "body");
            }
            if (column != null) {
                check(current, column, property.getValue());
            }
        }
        List<Column> missing = newColumns(current, record);
        if (missing.isEmpty()) {
            return current;
        }
        requireColumnLimit(current.name(), current.userColumns().size() + missing.size());
        source.addColumns(current, missing, MAX_DYNAMIC_COLUMNS);
        reload();
        TableSchema grown = require(name);
        for (Map.Entry<String, JsonNode> property : record.properties().entrySet()) {
            check(grown, grown.column(property.getKey()), property.getValue());
        }
        return grown;
    }

    /**
     * Checks a value against its column: {@link #convert} does, and a date column of the dynamic schema takes only
     * canonical date strings, so that every value reads back exactly as it was written (a declared date column also
     * takes other offsets and precisions, and plain dates).
     */
    private static void check(TableSchema schema, Column column, JsonNode value) {
        if (convert(column, value) != null && !schema.declared() && column.type() == ColumnType.DATE
                && !ColumnType.isCanonicalDate(value.asText())) {
            throw new InvalidRecordException("wrongType", column.name(), "wrong type for column '" + column.name()
                    + "': expected a date string in the form 2026-11-23T06:32:01.213Z (UTC, milliseconds) but got "
                    + "another string");
        }
    }

    private static void requireColumnLimit(String table, int columns) {
        if (columns > MAX_DYNAMIC_COLUMNS) {
            throw new InvalidRecordException("tooManyColumns", null, "table '" + table + "' would have " + columns
                    + " columns, more than the dynamic schema allows (" + MAX_DYNAMIC_COLUMNS + ")");
        }
    }

    private static List<Column> newColumns(TableSchema schema, ParsedRecord record) {
        List<Column> columns = new ArrayList<>();
        for (Map.Entry<String, JsonNode> property : record.properties().entrySet()) {
            String name = property.getKey();
            if (schema == null || schema.column(name) == null) {
                columns.add(new Column(name, Names.sqlName(name), ColumnType.inferFrom(property.getValue()), false));
            }
        }
        return columns;
    }

    /**
     * The typed values of {@code record} for the columns of {@code schema}, keyed by column.
     *
     * @throws UnknownColumnException if a property has no column
     * @throws InvalidRecordException if a value has the wrong type
     */
    public static Map<Column, Object> values(TableSchema schema, ParsedRecord record) {
        Map<Column, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> property : record.properties().entrySet()) {
            Column column = schema.column(property.getKey());
            if (column == null || column.system()) {
                throw new UnknownColumnException(schema.name(), property.getKey(), "body");
            }
            values.put(column, convert(column, property.getValue()));
        }
        return values;
    }

    /**
     * Converts a JSON value for {@code column}: String, Boolean, Long, Double, Instant, JSON text or {@code null}.
     *
     * @throws InvalidRecordException if the value has the wrong type
     */
    public static Object convert(Column column, JsonNode value) {
        if (value == null || value.isNull()) {
            return null;
        }
        switch (column.type()) {
            case STRING:
                if (value.isTextual()) {
                    return requireNoNul(column, value.asText());
                }
                break;
            case BOOLEAN:
                if (value.isBoolean()) {
                    return value.asBoolean();
                }
                break;
            case INTEGER:
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    return value.asLong();
                }
                if (value.isFloatingPointNumber() && value.canConvertToExactIntegral() && value.canConvertToLong()) {
                    return value.asLong();
                }
                break;
            case NUMBER:
                if (value.isNumber() && Double.isFinite(value.asDouble())) {
                    return value.asDouble();
                }
                break;
            case DATE:
                if (value.isTextual() && Timestamps.isTimestamp(value.asText())) {
                    return Timestamps.parse(value.asText());
                }
                if (value.isTextual() && DATE_ONLY.matcher(value.asText()).matches()) {
                    try {
                        return LocalDate.parse(value.asText()).atStartOfDay(ZoneOffset.UTC)
                                .toInstant();
                    } catch (DateTimeParseException e) {
                        break;
                    }
                }
                break;
            case JSON:
            default:
                return requireNoNul(column, value.toString());
        }
        throw new InvalidRecordException("wrongType", column.name(), "wrong type for column '" + column.name()
                + "': expected " + describe(column.type()) + " but got " + kind(value));
    }

    /** PostgreSQL cannot store U+0000 in text or jsonb; it is refused on every database so both agree. */
    private static String requireNoNul(Column column, String text) {
        if (text.indexOf('\u0000') >= 0 || text.contains("\\u0000")) {
            throw new InvalidRecordException("invalidValue", column.name(), "the value of '" + column.name()
                    + "' contains the character U+0000, which cannot be stored");
        }
        return text;
    }

    private static String describe(ColumnType type) {
        switch (type) {
            case DATE:
                return "a date string such as 2026-11-23T06:32:01.213Z";
            case INTEGER:
                return "an integer";
            case NUMBER:
                return "a number";
            case BOOLEAN:
                return "a boolean";
            default:
                return "a " + type.schemaName();
        }
    }

    private static String kind(JsonNode value) {
        if (value.isTextual()) {
            return "a string";
        }
        if (value.isNumber()) {
            return "a number";
        }
        if (value.isBoolean()) {
            return "a boolean";
        }
        if (value.isArray()) {
            return "an array";
        }
        return "an object";
    }
}
