package dev.outpost.client.sqlite;

import java.util.ArrayList;
import java.util.List;

/**
 * A piece of SQL with its bind parameters, in order. Immutable.
 *
 * @param sql        the SQL text, with {@code ?} for every parameter
 * @param parameters the values to bind
 */
record SqlFragment(String sql, List<Object> parameters) {
    public SqlFragment {
        parameters = java.util.Collections.unmodifiableList(new ArrayList<>(parameters));
    }

    /** SQL with no parameters. */
    public static SqlFragment of(String sql) {
        return new SqlFragment(sql, List.of());
    }

    /** Joins fragments with SQL text between and around them. */
    public static SqlFragment join(String prefix, List<SqlFragment> parts, String separator, String suffix) {
        StringBuilder sql = new StringBuilder(prefix);
        List<Object> parameters = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                sql.append(separator);
            }
            sql.append(parts.get(i).sql());
            parameters.addAll(parts.get(i).parameters());
        }
        return new SqlFragment(sql.append(suffix).toString(), parameters);
    }

    /** A fragment made of text pieces and fragments, concatenated in order. */
    public static SqlFragment concat(Object... pieces) {
        StringBuilder sql = new StringBuilder();
        List<Object> parameters = new ArrayList<>();
        for (Object piece : pieces) {
            if (piece instanceof SqlFragment fragment) {
                sql.append(fragment.sql());
                parameters.addAll(fragment.parameters());
            } else {
                sql.append(piece);
            }
        }
        return new SqlFragment(sql.toString(), parameters);
    }
}
