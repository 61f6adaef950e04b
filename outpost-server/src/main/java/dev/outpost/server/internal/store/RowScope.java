package dev.outpost.server.internal.store;

import dev.outpost.server.internal.sql.SqlFragment;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rows one caller may see and change in one table: every read and every write of {@link TableRepository} goes
 * through it, so that a row outside the view answers exactly as a missing one. Immutable.
 *
 * @param view          the condition a row must meet to be seen, or {@code null} for every row
 * @param pinned        the columns an update never changes (those the view compares with the caller's claims, so
 *                      that a row never leaves its owner's view unannounced)
 * @param checkInserts  whether an inserted record must be checked against the view (the view could refuse it)
 * @param checkUpdates  whether an updated record must be checked against the view
 * @param owner         the user every row of the view belongs to (a per-user table, or a rule with a top-level
 *                      {@code column eq $user.id}), whose event streams alone hear of writes in this scope; or
 *                      {@code null} when every reader of the table may
 */
public record RowScope(SqlFragment view, Set<String> pinned, boolean checkInserts, boolean checkUpdates,
                       String owner) {
    /** Every row, no restriction. */
    public static final RowScope ALL = new RowScope(null, Set.of(), false, false, null);

    public RowScope {
        pinned = Set.copyOf(pinned);
        if (view == null && (checkInserts || checkUpdates || owner != null)) {
            throw new IllegalArgumentException("a scope without a view has nothing to check and no owner");
        }
    }

    /** Whether every row is in view. */
    public boolean isAll() {
        return view == null;
    }

    /** {@code where} restricted to this view ({@code null} stands for "every row" on both sides). */
    public SqlFragment and(SqlFragment where) {
        if (view == null) {
            return where;
        }
        if (where == null) {
            return view;
        }
        List<Object> params = new ArrayList<>(where.params());
        params.addAll(view.params());
        return new SqlFragment("(" + where.sql() + ") AND (" + view.sql() + ")", params);
    }
}
