package dev.outpost.client.store;

import dev.outpost.protocol.SystemColumns;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The shape of a local table: its name, its typed columns and its indexes. Immutable; build one with
 * {@link #builder(String)}.
 *
 * <p>Every table has the text primary key {@code id}. Column and table names are matched ignoring case (as SQLite
 * does); the spelling given here is the one records are written back with. A sync table also has the system
 * columns ({@link Builder#withSystemColumns()}) and an index on {@code (updatedAt, id)}.
 *
 * <pre>{@code
 * TableDefinition todo = TableDefinition.builder("todoitem")
 *         .withSystemColumns()
 *         .column("text", ColumnType.STRING)
 *         .column("complete", ColumnType.BOOLEAN)
 *         .index("complete")
 *         .build();
 * }</pre>
 */
public final class TableDefinition {
    /** The name of the hidden column that keeps properties a table does not define, as a JSON object. */
    public static final String EXTRAS_COLUMN = "__extras";

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");

    private final String name;
    private final Map<String, Column> columns;
    private final List<List<String>> indexes;

    private TableDefinition(Builder builder) {
        this.name = builder.name;
        this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(builder.columns));
        List<List<String>> copy = new ArrayList<>();
        for (List<String> index : builder.indexes) {
            copy.add(List.copyOf(index));
        }
        this.indexes = List.copyOf(copy);
    }

    /** A column: its name as spelled in records, and its type. */
    public record Column(String name, ColumnType type) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
        }
    }

    /**
     * A builder for a table named {@code name}. (A sync context keeps names starting with {@code __} for its own
     * tables and refuses them for an app's.)
     *
     * @throws IllegalArgumentException if the name is not a letter or underscore followed by up to 127 letters,
     *     digits or underscores
     */
    public static Builder builder(String name) {
        checkName("table", name);
        return new Builder(name);
    }

    /** A builder that starts from this definition. */
    public Builder newBuilder() {
        Builder builder = new Builder(name);
        builder.columns.putAll(columns);
        for (List<String> index : indexes) {
            builder.indexes.add(new ArrayList<>(index));
        }
        return builder;
    }

    /** The table's name as given. */
    public String name() {
        return name;
    }

    /** The columns, {@code id} first, keyed by lower-case name. */
    public Map<String, Column> columns() {
        return columns;
    }

    /** The column called {@code name} (any case), or {@code null}. */
    public Column column(String name) {
        return columns.get(name.toLowerCase(Locale.ROOT));
    }

    /** The indexes, each a list of column names. */
    public List<List<String>> indexes() {
        return indexes;
    }

    /** Whether the table has the system columns of a sync table. */
    public boolean hasSystemColumns() {
        return column(SystemColumns.UPDATED_AT) != null && column(SystemColumns.VERSION) != null;
    }

    @Override
    public String toString() {
        return "TableDefinition[" + name + ", " + columns.values() + "]";
    }

    private static void checkName(String what, String name) {
        Objects.requireNonNull(name, what + " name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name '" + name
                    + "': expected a letter or '_' followed by up to 127 letters, digits or '_'");
        }
    }

    /** Builds a {@link TableDefinition}. Not thread-safe. */
    public static final class Builder {
        private final String name;
        private final Map<String, Column> columns = new LinkedHashMap<>();
        private final List<List<String>> indexes = new ArrayList<>();

        private Builder(String name) {
            this.name = name;
            columns.put(SystemColumns.ID, new Column(SystemColumns.ID, ColumnType.STRING));
        }

        /** The name of the table being built. */
        public String name() {
            return name;
        }

        /**
         * Adds a column, or changes the type of one already added to this builder.
         *
         * @throws IllegalArgumentException if the name is invalid, is {@code id} or {@value #EXTRAS_COLUMN}
         */
        public Builder column(String name, ColumnType type) {
            checkName("column", name);
            Objects.requireNonNull(type, "type");
            String key = name.toLowerCase(Locale.ROOT);
            if (key.equals(SystemColumns.ID) || key.equals(EXTRAS_COLUMN)) {
                throw new IllegalArgumentException("column '" + name + "' is reserved");
            }
            columns.put(key, new Column(name, type));
            return this;
        }

        /** Adds the system columns {@code createdAt}, {@code updatedAt}, {@code version}, {@code deleted}. */
        public Builder withSystemColumns() {
            columns.put(SystemColumns.CREATED_AT.toLowerCase(Locale.ROOT),
                    new Column(SystemColumns.CREATED_AT, ColumnType.DATE));
            columns.put(SystemColumns.UPDATED_AT.toLowerCase(Locale.ROOT),
                    new Column(SystemColumns.UPDATED_AT, ColumnType.DATE));
            columns.put(SystemColumns.VERSION, new Column(SystemColumns.VERSION, ColumnType.STRING));
            columns.put(SystemColumns.DELETED, new Column(SystemColumns.DELETED, ColumnType.BOOLEAN));
            index(SystemColumns.UPDATED_AT, SystemColumns.ID);
            return this;
        }

        /**
         * Adds an index on the given columns, in order.
         *
         * @throws IllegalArgumentException if no column is given
         */
        public Builder index(String... columnNames) {
            if (columnNames.length == 0) {
                throw new IllegalArgumentException("an index needs at least one column");
            }
            for (String column : columnNames) {
                checkName("column", column);
            }
            List<String> index = List.of(columnNames);
            for (List<String> existing : indexes) {
                if (existing.equals(index)) {
                    return this;
                }
            }
            indexes.add(index);
            return this;
        }

        /**
         * The definition.
         *
         * @throws IllegalArgumentException if an index names a column the table does not have
         */
        public TableDefinition build() {
            for (List<String> index : indexes) {
                for (String column : index) {
                    if (!columns.containsKey(column.toLowerCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("index on unknown column '" + column + "' of table '"
                                + name + "'");
                    }
                }
            }
            return new TableDefinition(this);
        }
    }
}
