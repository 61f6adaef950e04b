package dev.outpost.server.internal.table;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.server.internal.auth.TableAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a tables file: a JSON object naming each table, its typed columns, whether it soft-deletes, and who may
 * do what on it ({@code access}, see {@link TableAccess}).
 *
 * <pre>{@code
 * {
 *   "todoitem": {"columns": {"text": "string", "complete": "boolean"}},
 *   "audit":    {"columns": {"at": "date", "payload": "json"}, "softDelete": false, "access": "role:admin"}
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public final class TablesFile {
    private TablesFile() {
    }

    /**
     * Reads and checks a tables file.
     *
     * @throws IllegalArgumentException naming the problem if the file is not valid
     */
    public static List<TableSchema> read(Path file) {
        return readDeclared(file).tables();
    }

    /** A tables file's tables and their access rules (by table key; a table without rules is open). */
    public record Declared(List<TableSchema> tables, Map<String, TableAccess> access) {
        public Declared {
            tables = List.copyOf(tables);
            access = Map.copyOf(access);
        }
    }

    /**
     * Reads and checks a tables file, access rules included.
     *
     * @throws IllegalArgumentException naming the problem if the file is not valid
     */
    public static Declared readDeclared(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(Files.readString(file));
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new IllegalArgumentException(file + ": not valid JSON: " + e.getOriginalMessage()
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), e);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such tables file", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read tables file " + file + ": " + e, e);
        }
        return parseDeclared(root, file.toString());
    }

    /**
     * Checks a parsed tables file.
     *
     * @throws IllegalArgumentException naming the problem if it is not valid
     */
    public static List<TableSchema> parse(JsonNode root, String source) {
        return parseDeclared(root, source).tables();
    }

    private static Declared parseDeclared(JsonNode root, String source) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a tables file is a JSON object of table name → table");
        }
        List<TableSchema> tables = new ArrayList<>();
        Map<String, TableAccess> access = new HashMap<>();
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            String name = entry.getKey();
            if (!Names.isValidTableName(name)) {
                throw new IllegalArgumentException(source + ": invalid table name '" + name + "' (a letter, then up to "
                        + "63 letters, digits or '_'; names starting with 'outpost_' are reserved)");
            }
            if (!keys.add(Names.key(name))) {
                throw new IllegalArgumentException(source + ": table '" + name + "' appears twice");
            }
            JsonNode table = entry.getValue();
            if (!table.isObject()) {
                throw new IllegalArgumentException(source + ": table '" + name + "' must be an object");
            }
            for (Map.Entry<String, JsonNode> field : table.properties()) {
                if (!field.getKey().equals("columns") && !field.getKey().equals("softDelete")
                        && !field.getKey().equals("access")) {
                    throw new IllegalArgumentException(source + ": table '" + name + "' has unknown field '"
                            + field.getKey() + "' (expected columns, softDelete, access)");
                }
            }
            try {
                access.put(Names.key(name), TableAccess.parse(table.get("access")));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + ": table '" + name + "': " + e.getMessage(), e);
            }
            JsonNode softDelete = table.path("softDelete");
            if (!softDelete.isMissingNode() && !softDelete.isBoolean()) {
                throw new IllegalArgumentException(source + ": softDelete of '" + name + "' must be true or false");
            }
            tables.add(new TableSchema(name, softDelete.isMissingNode() || softDelete.asBoolean(), true,
                    columns(table.path("columns"), name, source)));
        }
        return new Declared(tables, access);
    }

    private static List<Column> columns(JsonNode columns, String table, String source) {
        if (columns.isMissingNode()) {
            return List.of();
        }
        if (!columns.isObject()) {
            throw new IllegalArgumentException(source + ": columns of '" + table + "' must be an object of column "
                    + "name → type");
        }
        List<Column> list = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (Map.Entry<String, JsonNode> column : columns.properties()) {
            String name = column.getKey();
            if (!Names.isValidColumnName(name) || dev.outpost.protocol.SystemColumns.isSystem(name)) {
                throw new IllegalArgumentException(source + ": invalid column name '" + name + "' in table '" + table
                        + "' (system columns id, createdAt, updatedAt, version, deleted are always there)");
            }
            if (!keys.add(Names.key(name))) {
                throw new IllegalArgumentException(source + ": column '" + name + "' of '" + table + "' appears twice");
            }
            ColumnType type = column.getValue().isTextual() ? ColumnType.fromName(column.getValue().asText()) : null;
            if (type == null) {
                throw new IllegalArgumentException(source + ": column '" + name + "' of '" + table + "' has type "
                        + column.getValue() + "; expected one of string, boolean, integer, number, date, json");
            }
            list.add(new Column(name, Names.sqlName(name), type, false));
        }
        return list;
    }
}
