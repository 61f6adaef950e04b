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
 * Reads a tables file: a JSON object naming each table, its typed columns, whether it soft-deletes, who may
 * do what on it ({@code access}, see {@link TableAccess}) and which rows each user sees ({@code perUser} with its
 * {@code ownerColumn}, and {@code rows}: an OData filter over the record with {@code $user.id} and
 * {@code $user.CLAIM}).
 *
 * <pre>{@code
 * {
 *   "todoitem": {"columns": {"text": "string", "complete": "boolean"}, "access": "authenticated", "perUser": true},
 *   "project":  {"columns": {"name": "string", "tenantId": "string"}, "rows": "tenantId eq $user.tenant"},
 *   "audit":    {"columns": {"at": "date", "payload": "json"}, "softDelete": false, "access": "role:admin"}
 * }
 * }</pre>
 *
 * A per-user table gets its owner column ({@code userId} unless named) as a string column if the file does not
 * declare it.
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

    /** The owner column of a per-user table unless the file names another (as in the official Node SDK). */
    public static final String OWNER_COLUMN = "userId";

    /**
     * A tables file's tables, their access rules and their row rules (both by table key; a table without access
     * rules is open, one without a row rule shows every row).
     *
     * @param rows   the row rule of each table that has one, as text ({@code perUser} written out as
     *               {@code userId eq $user.id})
     * @param owners the owner column of each per-user table ({@code perUser})
     */
    public record Declared(List<TableSchema> tables, Map<String, TableAccess> access, Map<String, String> rows,
                           Map<String, String> owners) {
        public Declared {
            tables = List.copyOf(tables);
            access = Map.copyOf(access);
            rows = Map.copyOf(rows);
            owners = Map.copyOf(owners);
        }

        /** Tables and access rules, no row rules. */
        public Declared(List<TableSchema> tables, Map<String, TableAccess> access) {
            this(tables, access, Map.of(), Map.of());
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
        Map<String, String> rows = new HashMap<>();
        Map<String, String> owners = new HashMap<>();
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
                if (!FIELDS.contains(field.getKey())) {
                    throw new IllegalArgumentException(source + ": table '" + name + "' has unknown field '"
                            + field.getKey() + "' (expected " + String.join(", ", FIELDS) + ")");
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
            List<Column> columns = columns(table.path("columns"), name, source);
            String rule = rowRule(table, name, source, columns);
            if (rule != null) {
                rows.put(Names.key(name), rule);
            }
            if (table.path("perUser").asBoolean(false)) {
                owners.put(Names.key(name), table.path("ownerColumn").asText(OWNER_COLUMN));
            }
            tables.add(new TableSchema(name, softDelete.isMissingNode() || softDelete.asBoolean(), true, columns));
        }
        return new Declared(tables, access, rows, owners);
    }

    private static final List<String> FIELDS = List.of("columns", "softDelete", "access", "perUser", "ownerColumn",
            "rows");

    /**
     * The row rule of a table ({@code perUser} and {@code rows} together), or {@code null}; adds a per-user table's
     * owner column to {@code columns} when it is not declared.
     */
    private static String rowRule(JsonNode table, String name, String source, List<Column> columns) {
        JsonNode perUser = table.path("perUser");
        JsonNode owner = table.path("ownerColumn");
        JsonNode rows = table.path("rows");
        if (!perUser.isMissingNode() && !perUser.isBoolean()) {
            throw new IllegalArgumentException(source + ": perUser of '" + name + "' must be true or false");
        }
        if (!rows.isMissingNode() && (!rows.isTextual() || rows.asText().isBlank())) {
            throw new IllegalArgumentException(source + ": rows of '" + name + "' must be a filter such as"
                    + " \"tenantId eq $user.tenant\"");
        }
        if (!owner.isMissingNode() && !perUser.asBoolean(false)) {
            throw new IllegalArgumentException(source + ": ownerColumn of '" + name + "' needs \"perUser\": true");
        }
        String rule = rows.isMissingNode() ? null : rows.asText();
        if (perUser.asBoolean(false)) {
            String ownerColumn = owner.isMissingNode() ? OWNER_COLUMN : owner.asText(null);
            if (ownerColumn == null || !Names.isValidColumnName(ownerColumn)
                    || dev.outpost.protocol.SystemColumns.isSystem(ownerColumn)) {
                throw new IllegalArgumentException(source + ": ownerColumn of '" + name + "' must be a column name");
            }
            Column declared = columns.stream().filter(c -> Names.key(c.name()).equals(Names.key(ownerColumn)))
                    .findFirst().orElse(null);
            if (declared == null) {
                columns.add(new Column(ownerColumn, Names.sqlName(ownerColumn), ColumnType.STRING, false));
            } else if (declared.type() != ColumnType.STRING) {
                throw new IllegalArgumentException(source + ": owner column '" + ownerColumn + "' of '" + name
                        + "' must be a string column, not " + declared.type().name().toLowerCase(java.util.Locale.ROOT));
            }
            String ownerRule = ownerColumn + " eq $user.id";
            rule = rule == null ? ownerRule : "(" + rule + ") and " + ownerRule;
        }
        return rule;
    }

    private static List<Column> columns(JsonNode columns, String table, String source) {
        if (columns.isMissingNode()) {
            return new ArrayList<>();
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
