package dev.outpost.server.internal.events;

import java.util.Objects;
import java.util.Set;

/**
 * A commit changed a table: its position moved to {@code position} (the {@code updatedAt}, in epoch milliseconds,
 * of the commit's latest change). Carries no record data. Immutable.
 *
 * @param table    the table's key (its name in lower case)
 * @param position the table's new position
 * @param owners   the users whose rows changed, when every changed row belongs to one user (per-user tables);
 *                 {@code null} when every reader of the table may hear of it
 */
public record Change(String table, long position, Set<String> owners) {
    public Change {
        Objects.requireNonNull(table, "table");
        owners = owners == null ? null : Set.copyOf(owners);
    }

    /** Whether a stream of {@code userId} ({@code null}: anonymous) may hear of this change. */
    public boolean reaches(String userId) {
        return owners == null || userId != null && owners.contains(userId);
    }

    /** This change and {@code other}, of the same table and owners, as one: the later position. */
    public Change merge(Change other) {
        if (!table.equals(other.table) || !Objects.equals(owners, other.owners)) {
            throw new IllegalArgumentException("changes heard by different streams: " + this + ", " + other);
        }
        return position >= other.position ? this : other;
    }
}
