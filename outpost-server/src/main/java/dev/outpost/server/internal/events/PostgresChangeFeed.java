package dev.outpost.server.internal.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The feed of servers sharing a PostgreSQL database: a commit sends one {@code NOTIFY} per table it changed, inside
 * its transaction (PostgreSQL delivers it exactly when, and if, the transaction commits), and every replica
 * {@code LISTEN}s on one connection of its own and hands what it hears to its sink, its own commits included. The
 * channel is named after the schema, so that servers on other schemas of the same database hear nothing of these
 * tables. When the listening connection breaks, the feed reconnects (backing off up to 10 s) and then tells the sink
 * that changes may have been lost. Thread-safe.
 */
public final class PostgresChangeFeed implements ChangeFeed {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PostgreSQL refuses payloads of 8,000 bytes or more; owners beyond this many characters go in another. */
    private static final int MAX_PAYLOAD = 7_000;
    private static final long CHECK_MILLIS = 10_000;
    private static final long MAX_BACKOFF_MILLIS = 10_000;

    private final String url;
    private final Properties properties;
    private final String channel;
    private volatile boolean running;
    private volatile Connection listening;
    private Thread thread;

    /**
     * A feed on the database at {@code url}, whose listening connection opens with {@code properties}.
     *
     * @param channel the notification channel (see {@link #channel})
     */
    public PostgresChangeFeed(String url, Properties properties, String channel) {
        this.url = url;
        this.properties = new Properties();
        this.properties.putAll(properties);
        this.properties.setProperty("ApplicationName", "outpost-events");
        this.channel = channel;
    }

    /** The channel of the schema {@code connection} works in: {@code outpost_<schema>} (hashed when long). */
    public static String channel(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_schema()")) {
            String schema = rs.next() && rs.getString(1) != null ? rs.getString(1) : "public";
            if (schema.matches("[a-z0-9_]{1,50}")) {
                return "outpost_" + schema;
            }
            return "outpost_" + Integer.toHexString(schema.hashCode());
        }
    }

    @Override
    public synchronized void start(Sink sink) {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        running = true;
        thread = new Thread(() -> listen(sink), "outpost-events-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void beforeCommit(Connection connection, List<Change> changes) throws SQLException {
        List<String> payloads = new ArrayList<>();
        for (Change change : changes) {
            payloads.addAll(payloads(change));
        }
        if (payloads.isEmpty()) {
            return;
        }
        Array array = connection.createArrayOf("text", payloads.toArray());
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(pg_notify(?, payload)) FROM unnest(?::text[]) AS payload")) {
            statement.setString(1, channel);
            statement.setArray(2, array);
            statement.executeQuery().close();
        } finally {
            array.free();
        }
    }

    @Override
    public void afterCommit(List<Change> changes) {
        // The listening connection hears this replica's own commits too.
    }

    /** A change as notification payloads: {@code {"t": table, "p": position, "o": [owners]}}, split by owners. */
    static List<String> payloads(Change change) {
        List<String> payloads = new ArrayList<>();
        ObjectNode node = JSON.createObjectNode().put("t", change.table()).put("p", change.position());
        if (change.owners() == null) {
            payloads.add(node.toString());
            return payloads;
        }
        ArrayNode owners = node.putArray("o");
        int size = node.toString().length();
        for (String owner : change.owners()) {
            String quoted = JSON.getNodeFactory().textNode(owner).toString();
            if (size + quoted.length() + 1 > MAX_PAYLOAD && !owners.isEmpty()) {
                payloads.add(node.toString());
                owners.removeAll();
                size = node.toString().length();
            }
            owners.add(owner);
            size += quoted.length() + 1;
        }
        payloads.add(node.toString());
        return payloads;
    }

    /** A payload as a change, or {@code null} when it is not one of ours. */
    static Change parse(String payload) {
        try {
            JsonNode node = JSON.readTree(payload);
            if (!node.path("t").isTextual() || !node.path("p").canConvertToLong()) {
                return null;
            }
            Set<String> owners = null;
            if (node.has("o")) {
                owners = new HashSet<>();
                for (JsonNode owner : node.get("o")) {
                    owners.add(owner.asText());
                }
            }
            return new Change(node.get("t").asText(), node.get("p").asLong(), owners);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private void listen(Sink sink) {
        long backoff = 500;
        boolean failed = false;
        while (running) {
            try (Connection connection = DriverManager.getConnection(url, properties)) {
                listening = connection;
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN \"" + channel.replace("\"", "\"\"") + "\"");
                }
                if (failed) {
                    LOG.info("change events: listening again on the database; every stream resyncs");
                    sink.lost();
                }
                failed = false;
                backoff = 500;
                receive(connection, sink);
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                if (!failed) {
                    LOG.warn("change events: lost the database connection that listens for changes ({}); "
                            + "reconnecting", e.getMessage());
                }
                failed = true;
                try {
                    Thread.sleep(backoff + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_MILLIS);
            } finally {
                listening = null;
            }
        }
    }

    private void receive(Connection connection, Sink sink) throws SQLException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        long checked = System.nanoTime();
        while (running) {
            PGNotification[] notifications = pg.getNotifications(1_000);
            if (notifications != null && notifications.length > 0) {
                List<Change> changes = new ArrayList<>(notifications.length);
                for (PGNotification notification : notifications) {
                    Change change = parse(notification.getParameter());
                    if (change != null) {
                        changes.add(change);
                    }
                }
                if (!changes.isEmpty()) {
                    sink.deliver(changes);
                }
            }
            if (System.nanoTime() - checked > CHECK_MILLIS * 1_000_000) {
                // A connection cut without a word (a network partition) would wait forever for notifications.
                if (!connection.isValid(5)) {
                    throw new SQLException("the listening connection does not answer");
                }
                checked = System.nanoTime();
            }
        }
    }

    @Override
    public void close() {
        Thread listener;
        synchronized (this) {
            running = false;
            listener = thread;
            thread = null;
        }
        Connection connection = listening;
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        if (listener != null) {
            listener.interrupt();
            try {
                listener.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
