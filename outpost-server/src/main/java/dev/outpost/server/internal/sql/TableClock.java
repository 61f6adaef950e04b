package dev.outpost.server.internal.sql;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;

/**
 * The per-table monotonic clock that makes {@code updatedAt} unique per table and ordered like commits.
 *
 * <p>{@link #lock} locks the table's row in {@code outpost_clock} inside the caller's write transaction (an
 * {@code UPDATE … RETURNING} takes the row lock on PostgreSQL; SQLite's {@code BEGIN IMMEDIATE} already
 * serialises writers) and keeps it until COMMIT. Each {@link #next()} is {@code max(now, last + 1 ms)}, and
 * {@link #save} writes the last value back before the commit. A writer that commits later therefore always has a
 * larger {@code updatedAt}, so a reader that has seen everything up to some {@code (updatedAt, id)} never misses a
 * record committed after it, even across several server replicas. Not thread-safe: confined to the transaction's
 * thread.
 */
public final class TableClock {
    private final Clock clock;
    private final String tableKey;
    private final boolean locked;
    private long last;
    private boolean advanced;

    private TableClock(Clock clock, String tableKey, long last, boolean locked) {
        this.clock = clock;
        this.tableKey = tableKey;
        this.last = last;
        this.locked = locked;
    }

    /**
     * Locks the clock row of {@code tableKey} for the current transaction and reads its last value.
     *
     * @throws SQLException          if the database fails
     * @throws IllegalStateException if the table has no clock row
     */
    public static TableClock lock(Connection connection, String tableKey, Clock clock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE outpost_clock SET last_millis = last_millis WHERE table_key = ? RETURNING last_millis")) {
            statement.setString(1, tableKey);
            try (ResultSet resultSet = statement.executeQuery()) {
                if (!resultSet.next()) {
                    throw new IllegalStateException("no clock row for table '" + tableKey + "'");
                }
                return new TableClock(clock, tableKey, resultSet.getLong(1), true);
            }
        }
    }

    /**
     * A clock that takes no lock and gives {@code updatedAt = now}: the race invariant 3 forbids. Only for the
     * test-only option {@code ServerConfig.Builder.unsafeDisableTableClock}, to demonstrate what the real clock
     * prevents.
     */
    public static TableClock unsafe(Clock clock) {
        return new TableClock(clock, null, Long.MIN_VALUE, false);
    }

    /** The next {@code updatedAt} in epoch milliseconds: {@code max(now, last + 1)}. */
    public long next() {
        long now = clock.millis();
        advanced = true;
        if (!locked) {
            last = Math.max(last, now);
            return now;
        }
        last = Math.max(now, last + 1);
        return last;
    }

    /** Whether this transaction has taken a value from the clock (it changed the table). */
    public boolean advanced() {
        return advanced;
    }

    /** The table's key ({@code null} for the unsafe clock). */
    public String tableKey() {
        return tableKey;
    }

    /** The last value given out in this transaction (or before it, when none was): the table's position. */
    public long last() {
        return last;
    }

    /** Writes the last value given out back to the clock row (call before COMMIT). */
    public void save(Connection connection) throws SQLException {
        if (!locked) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE outpost_clock SET last_millis = ? WHERE table_key = ?")) {
            statement.setLong(1, last);
            statement.setString(2, tableKey);
            statement.executeUpdate();
        }
    }
}
