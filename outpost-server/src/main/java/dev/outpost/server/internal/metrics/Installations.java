package dev.outpost.server.internal.metrics;

import dev.outpost.server.internal.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet: every client installation that sent {@code X-ZUMO-INSTALLATION-ID}, kept in the database
 * ({@code outpost_installations}, and {@code outpost_installation_tables} for the per-table pull positions) so that
 * every replica sees the same fleet.
 *
 * <p>Requests only note what they saw in memory ({@link #seen}, {@link #pulled}); {@link #flush} writes what was
 * noted since the last flush in one transaction (the server does so every few seconds, and before answering the
 * fleet views), merging with what other replicas wrote: the latest last-seen, protocol, user and queue depth win,
 * conflicts add up, the earliest first-seen stays. Thread-safe.
 */
public final class Installations {
    private static final Logger LOG = LoggerFactory.getLogger(Installations.class);
    /** The longest installation id tracked. */
    public static final int MAX_ID_LENGTH = 128;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:{}-]{1," + MAX_ID_LENGTH + "}");
    /** The most installations noted between two flushes; requests of further ones are not tracked meanwhile. */
    static final int MAX_PENDING = 10_000;
    /** What "active" means in the summary. */
    public static final Duration ACTIVE = Duration.ofHours(24);

    private final Database database;
    private final Clock clock;
    private final Map<String, Noted> pending = new ConcurrentHashMap<>();
    private volatile Summary summary = new Summary(0, 0, 0, 0);

    /** The fleet of the server's database (whose system tables hold it). */
    public Installations(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    /**
     * Whether {@code id} is an installation id this server tracks: 1 to {@value #MAX_ID_LENGTH} characters of
     * {@code A-Z a-z 0-9 _ . : - { }} (a UUID, with or without braces, is one). Others are ignored.
     */
    public static boolean isValidId(String id) {
        return id != null && id.length() <= MAX_ID_LENGTH && ID.matcher(id).matches();
    }

    /**
     * Notes a request of installation {@code id}.
     *
     * @param user       the caller's user id, or {@code null} (anonymous, or not known for this request)
     * @param protocol   {@code v2}, {@code v3} or {@code native}
     * @param queueDepth the operations it reported queued, or {@code null}
     * @param conflicts  the conflicts its request met
     * @return whether it was noted ({@code false} when too many installations were noted since the last flush)
     */
    public boolean seen(String id, String user, String protocol, Long queueDepth, int conflicts) {
        long now = clock.millis();
        return note(id, noted -> {
            noted.lastSeen = Math.max(noted.lastSeen, now);
            if (user != null) {
                noted.user = user;
            }
            noted.protocol = protocol;
            if (queueDepth != null) {
                noted.queueDepth = queueDepth;
                noted.queueDepthAt = now;
            }
            noted.conflicts += conflicts;
        });
    }

    /**
     * Notes that installation {@code id} pulled {@code table} through {@code pulledThrough} (its position after the
     * page: the changes up to it have reached it) with {@code protocol}.
     */
    public void pulled(String id, String protocol, String tableKey, String tableName, Instant pulledThrough) {
        long now = clock.millis();
        note(id, noted -> {
            noted.lastSeen = Math.max(noted.lastSeen, now);
            noted.protocol = protocol;
            noted.tables.put(tableKey, new Position(tableName, pulledThrough.toEpochMilli(), now));
        });
    }

    private boolean note(String id, java.util.function.Consumer<Noted> change) {
        if (pending.size() >= MAX_PENDING && !pending.containsKey(id)) {
            return false;
        }
        long now = clock.millis();
        pending.compute(id, (key, noted) -> {
            Noted into = noted == null ? new Noted(now) : noted;
            change.accept(into);
            return into;
        });
        return true;
    }

    /**
     * Writes what was noted since the last flush, in one transaction; on failure it is kept for the next one (and
     * the failure logged). Called by the server's maintenance thread and before the fleet views are read.
     */
    public synchronized void flush() {
        if (pending.isEmpty()) {
            return;
        }
        // Sorted, so that replicas flushing the same installations lock their rows in the same order.
        List<String> ids = new ArrayList<>(pending.keySet());
        Collections.sort(ids);
        Map<String, Noted> taken = new LinkedHashMap<>();
        for (String id : ids) {
            Noted noted = pending.remove(id);
            if (noted != null) {
                taken.put(id, noted);
            }
        }
        try {
            database.write(connection -> {
                write(connection, taken);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.warn("writing the installations failed (kept for the next try): {}", e.getMessage());
            taken.forEach((id, noted) -> pending.merge(id, noted, (later, earlier) -> earlier.mergedWith(later)));
        }
    }

    private static void write(Connection connection, Map<String, Noted> taken) throws SQLException {
        String installations = "outpost_installations";
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO outpost_installations (id, user_id, "
                + "protocol, first_seen, last_seen, queue_depth, queue_depth_at, conflicts) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                + "user_id = COALESCE(excluded.user_id, " + installations + ".user_id), "
                + "protocol = CASE WHEN excluded.last_seen >= " + installations + ".last_seen THEN excluded.protocol "
                + "ELSE " + installations + ".protocol END, "
                + "first_seen = CASE WHEN excluded.first_seen < " + installations + ".first_seen "
                + "THEN excluded.first_seen ELSE " + installations + ".first_seen END, "
                + "last_seen = CASE WHEN excluded.last_seen > " + installations + ".last_seen "
                + "THEN excluded.last_seen ELSE " + installations + ".last_seen END, "
                + "queue_depth = CASE WHEN " + newer(installations) + " THEN excluded.queue_depth "
                + "ELSE " + installations + ".queue_depth END, "
                + "queue_depth_at = CASE WHEN " + newer(installations) + " THEN excluded.queue_depth_at "
                + "ELSE " + installations + ".queue_depth_at END, "
                + "conflicts = " + installations + ".conflicts + excluded.conflicts");
             PreparedStatement position = connection.prepareStatement("INSERT INTO outpost_installation_tables "
                     + "(installation_id, table_key, table_name, pulled_through, reported_at) VALUES (?, ?, ?, ?, ?) "
                     + "ON CONFLICT (installation_id, table_key) DO UPDATE SET "
                     + "table_name = excluded.table_name, "
                     + "pulled_through = CASE WHEN excluded.reported_at >= outpost_installation_tables.reported_at "
                     + "THEN excluded.pulled_through ELSE outpost_installation_tables.pulled_through END, "
                     + "reported_at = CASE WHEN excluded.reported_at >= outpost_installation_tables.reported_at "
                     + "THEN excluded.reported_at ELSE outpost_installation_tables.reported_at END")) {
            boolean positions = false;
            for (Map.Entry<String, Noted> entry : taken.entrySet()) {
                Noted noted = entry.getValue();
                upsert.setString(1, entry.getKey());
                upsert.setString(2, noted.user);
                upsert.setString(3, noted.protocol == null ? "unknown" : noted.protocol);
                upsert.setLong(4, noted.firstSeen);
                upsert.setLong(5, noted.lastSeen);
                setLong(upsert, 6, noted.queueDepthAt == 0 ? null : noted.queueDepth);
                setLong(upsert, 7, noted.queueDepthAt == 0 ? null : noted.queueDepthAt);
                upsert.setLong(8, noted.conflicts);
                upsert.addBatch();
                for (Map.Entry<String, Position> table : noted.tables.entrySet()) {
                    position.setString(1, entry.getKey());
                    position.setString(2, table.getKey());
                    position.setString(3, table.getValue().table());
                    position.setLong(4, table.getValue().pulledThrough());
                    position.setLong(5, table.getValue().reportedAt());
                    position.addBatch();
                    positions = true;
                }
            }
            upsert.executeBatch();
            if (positions) {
                position.executeBatch();
            }
        }
    }

    private static String newer(String installations) {
        return "excluded.queue_depth_at IS NOT NULL AND (" + installations + ".queue_depth_at IS NULL OR "
                + "excluded.queue_depth_at >= " + installations + ".queue_depth_at)";
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    /** Flushes, then counts the fleet again (for the gauges and the status view); returns the new summary. */
    public Summary refresh() {
        flush();
        long active = clock.millis() - ACTIVE.toMillis();
        summary = database.read(connection -> {
            long total;
            long recent;
            long queued;
            try (PreparedStatement statement = connection.prepareStatement("SELECT COUNT(*), "
                    + "COALESCE(SUM(CASE WHEN last_seen >= ? THEN 1 ELSE 0 END), 0), "
                    + "COALESCE(SUM(CASE WHEN last_seen >= ? THEN queue_depth ELSE 0 END), 0) "
                    + "FROM outpost_installations")) {
                statement.setLong(1, active);
                statement.setLong(2, active);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                    recent = rows.getLong(2);
                    queued = rows.getLong(3);
                }
            }
            long behind;
            try (PreparedStatement statement = connection.prepareStatement("SELECT COALESCE(MAX(c.last_millis - "
                    + "t.pulled_through), 0) FROM outpost_installation_tables t JOIN outpost_installations i ON "
                    + "i.id = t.installation_id JOIN outpost_clock c ON c.table_key = t.table_key "
                    + "WHERE i.last_seen >= ?")) {
                statement.setLong(1, active);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    behind = Math.max(0, rows.getLong(1));
                }
            }
            return new Summary(total, recent, queued, behind);
        });
        return summary;
    }

    /** The summary as of the last {@link #refresh()}. */
    public Summary summary() {
        return summary;
    }

    /**
     * The fleet in figures.
     *
     * @param total            installations known
     * @param active           installations seen in the last {@link #ACTIVE}
     * @param queuedOperations the queue depths last reported by the active ones, added up
     * @param maxBehindMillis  how far the active installation furthest behind is behind on a table
     */
    public record Summary(long total, long active, long queuedOperations, long maxBehindMillis) {
    }

    /** A table's position in an installation's view. {@code head} is {@code null} for a table never written. */
    public record TablePosition(String table, Instant pulledThrough, Instant head, long behindMillis) {
    }

    /** An installation as the fleet view shows it; {@code user} and {@code queueDepth} may be {@code null}. */
    public record Installation(String id, String user, String protocol, Instant firstSeen, Instant lastSeen,
                               Long queueDepth, long conflicts, List<TablePosition> tables) {
    }

    /** The {@code limit} installations seen most recently, newest first, after a flush. */
    public List<Installation> list(int limit) {
        flush();
        return database.read(connection -> {
            List<Installation> found = new ArrayList<>();
            Map<String, List<TablePosition>> tables = new HashMap<>();
            try (PreparedStatement statement = connection.prepareStatement("SELECT id, user_id, protocol, "
                    + "first_seen, last_seen, queue_depth, conflicts FROM outpost_installations "
                    + "ORDER BY last_seen DESC, id LIMIT ?")) {
                statement.setInt(1, limit);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        String id = rows.getString(1);
                        long depth = rows.getLong(6);
                        Long queueDepth = rows.wasNull() ? null : depth;
                        List<TablePosition> positions = new ArrayList<>();
                        tables.put(id, positions);
                        found.add(new Installation(id, rows.getString(2), rows.getString(3),
                                Instant.ofEpochMilli(rows.getLong(4)), Instant.ofEpochMilli(rows.getLong(5)),
                                queueDepth, rows.getLong(7), positions));
                    }
                }
            }
            if (found.isEmpty()) {
                return found;
            }
            Map<String, Long> heads = heads(connection);
            // Up to the limit's ids at once; the limit is at most 1,000.
            StringBuilder in = new StringBuilder();
            for (int i = 0; i < found.size(); i++) {
                in.append(i == 0 ? "?" : ", ?");
            }
            try (PreparedStatement statement = connection.prepareStatement("SELECT installation_id, table_key, "
                    + "table_name, pulled_through FROM outpost_installation_tables WHERE installation_id IN (" + in
                    + ") ORDER BY installation_id, table_name")) {
                for (int i = 0; i < found.size(); i++) {
                    statement.setString(i + 1, found.get(i).id());
                }
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        long pulled = rows.getLong(4);
                        Long head = heads.get(rows.getString(2));
                        Instant headAt = head == null || head == 0 ? null : Instant.ofEpochMilli(head);
                        tables.get(rows.getString(1)).add(new TablePosition(rows.getString(3),
                                Instant.ofEpochMilli(pulled), headAt, headAt == null ? 0 : Math.max(0, head - pulled)));
                    }
                }
            }
            return found;
        });
    }

    /** Every table's head: its clock's last position (the largest {@code updatedAt}), by table key. */
    private static Map<String, Long> heads(Connection connection) throws SQLException {
        Map<String, Long> heads = new HashMap<>();
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT table_key, last_millis FROM outpost_clock");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                heads.put(rows.getString(1), rows.getLong(2));
            }
        }
        return heads;
    }

    /** Forgets the installations not seen since {@code olderThan}; returns how many. */
    public int expire(Instant olderThan) {
        flush();
        long before = olderThan.toEpochMilli();
        return database.write(connection -> {
            try (PreparedStatement tables = connection.prepareStatement("DELETE FROM outpost_installation_tables "
                    + "WHERE installation_id IN (SELECT id FROM outpost_installations WHERE last_seen < ?)");
                 PreparedStatement installations = connection.prepareStatement(
                         "DELETE FROM outpost_installations WHERE last_seen < ?")) {
                tables.setLong(1, before);
                tables.executeUpdate();
                installations.setLong(1, before);
                return installations.executeUpdate();
            }
        });
    }

    /** A table position noted in memory. */
    private record Position(String table, long pulledThrough, long reportedAt) {
    }

    /** What was noted of one installation since the last flush. Guarded by the pending map's compute. */
    private static final class Noted {
        long firstSeen;
        long lastSeen;
        String user;
        String protocol;
        long queueDepth;
        long queueDepthAt;
        long conflicts;
        final Map<String, Position> tables = new HashMap<>();

        Noted(long now) {
            firstSeen = now;
            lastSeen = now;
        }

        /** This and {@code later} together ({@code later} noted after this was taken for a flush). */
        Noted mergedWith(Noted later) {
            firstSeen = Math.min(firstSeen, later.firstSeen);
            lastSeen = Math.max(lastSeen, later.lastSeen);
            user = later.user != null ? later.user : user;
            protocol = later.protocol != null ? later.protocol : protocol;
            if (later.queueDepthAt >= queueDepthAt && later.queueDepthAt != 0) {
                queueDepth = later.queueDepth;
                queueDepthAt = later.queueDepthAt;
            }
            conflicts += later.conflicts;
            tables.putAll(later.tables);
            return this;
        }
    }
}
