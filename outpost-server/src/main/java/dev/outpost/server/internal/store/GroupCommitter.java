package dev.outpost.server.internal.store;

import dev.outpost.protocol.OutpostException;
import dev.outpost.server.internal.events.Change;
import dev.outpost.server.internal.events.ChangeFeed;
import dev.outpost.server.internal.sql.TableClock;
import dev.outpost.server.internal.table.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-side group commit: concurrent single-record writes to one table share a transaction.
 *
 * <p>Each table has a lane: a queue of pending writes and at most one writer at a time. The writer takes up to
 * {@code maxBatch} pending writes, opens one transaction, locks the table's {@link TableClock} once, applies each
 * write with its own {@code updatedAt} ({@code max(now, previous + 1 ms)}; consecutive {@link Batchable} writes such
 * as inserts in one statement), saves the clock, commits once and then completes every request. A write that ends with an expected outcome (a conflict, a missing record: the
 * repository detects those before changing anything) fails alone; if a write fails in SQL instead, the
 * transaction is rolled back and the batch is applied again with one savepoint per write, so that write fails
 * alone too. Commit order therefore still equals {@code updatedAt} order, across replicas, while a fsync is
 * paid per batch rather than per write.
 *
 * <p>With the test-only flag {@code unsafe} ({@code ServerConfig.Builder.unsafeDisableTableClock}) each write
 * runs in its own transaction with {@code updatedAt = now}, no lock and no batching: the race invariant 3 forbids.
 * Thread-safe; {@link #close()} stops the writer threads.
 */
public final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);
    /** A write applied inside a transaction with the table's clock locked. */
    @FunctionalInterface
    public interface Write<T> {
        /** Applies the write. */
        T apply(Connection connection, TableClock clock) throws SQLException;
    }

    /**
     * A write that can be applied together with like writes queued right after it, in one statement (a multi-row
     * INSERT): on PostgreSQL every statement is a round trip that the table's single writer waits for, so a batch of
     * 30 inserts took 30 round trips where it now takes one.
     */
    public interface Batchable<T> extends Write<T> {
        /** Whether {@code other} can be applied in one {@link #applyAll} call with this write. */
        boolean batchesWith(Batchable<?> other);

        /**
         * Applies {@code writes} (this one first; each {@link #batchesWith} it, so each has this one's type) in order,
         * as {@link #apply} would one after the other, and returns each one's outcome. Any exception thrown instead
         * means the writes may have left changes: the transaction is rolled back and the writes are applied again one
         * by one.
         */
        List<Outcome<T>> applyAll(Connection connection, TableClock clock, List<Batchable<?>> writes)
                throws SQLException;
    }

    /** What one write of {@link Batchable#applyAll} came to. Immutable. */
    public sealed interface Outcome<T> {
        /** The write was applied; {@code result} is what {@link Write#apply} would have returned. */
        record Applied<T>(T result) implements Outcome<T> {
        }

        /**
         * The write met an expected outcome (a conflict, a duplicate id) and changed nothing; {@code reason} is what
         * {@link Write#apply} would have thrown.
         */
        record Refused<T>(OutpostException reason) implements Outcome<T> {
        }
    }

    private final Database database;
    private final Clock clock;
    private final boolean unsafe;
    private final int maxBatch;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final ExecutorService writers;
    private final ChangeFeed feed;

    /** A group committer that publishes no changes. */
    public GroupCommitter(Database database, Clock clock, boolean unsafe, int maxBatch) {
        this(database, clock, unsafe, maxBatch, ChangeFeed.NONE);
    }

    /**
     * A group committer.
     *
     * @param unsafe   disables the table clock (test only; such writes publish no changes)
     * @param maxBatch the most writes in one transaction
     * @param feed     where each commit's change is published
     */
    public GroupCommitter(Database database, Clock clock, boolean unsafe, int maxBatch, ChangeFeed feed) {
        this.feed = feed;
        this.database = database;
        this.clock = clock;
        this.unsafe = unsafe;
        this.maxBatch = maxBatch;
        AtomicInteger counter = new AtomicInteger();
        this.writers = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "outpost-writer-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Whether the table clock is disabled (test only). */
    public boolean unsafe() {
        return unsafe;
    }

    /**
     * Applies {@code write} to {@code schema}'s table and returns its result once committed; rethrows what the
     * write threw (its domain exceptions unchanged, SQL failures as {@link StoreException}).
     */
    public <T> T write(TableSchema schema, Write<T> write) {
        return write(schema, null, write);
    }

    /**
     * As {@link #write(TableSchema, Write)}, for a write whose change only {@code owner}'s event streams may hear of
     * ({@code null}: every reader of the table's; see {@link RowScope#owner()}).
     */
    public <T> T write(TableSchema schema, String owner, Write<T> write) {
        if (unsafe) {
            return database.write(connection -> write.apply(connection, TableClock.unsafe(clock)));
        }
        Pending<T> pending = new Pending<>(write, owner);
        Lane lane = lanes.computeIfAbsent(schema.key(), Lane::new);
        lane.queue.add(pending);
        lane.schedule();
        return pending.await();
    }

    /** How many writes to {@code schema}'s table are queued and not yet taken into a transaction. */
    int waiting(TableSchema schema) {
        Lane lane = lanes.get(schema.key());
        return lane == null ? 0 : lane.queue.size();
    }

    @Override
    public void close() {
        writers.shutdown();
    }

    /** The writes waiting for one table. */
    private final class Lane {
        private final String tableKey;
        private final ConcurrentLinkedQueue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean running = new AtomicBoolean();

        Lane(String tableKey) {
            this.tableKey = tableKey;
        }

        void schedule() {
            if (running.compareAndSet(false, true)) {
                try {
                    writers.execute(this::drain);
                } catch (RuntimeException e) {
                    running.set(false);
                    failAll(e);
                }
            }
        }

        private void drain() {
            while (true) {
                List<Pending<?>> batch = new ArrayList<>();
                Pending<?> next;
                while (batch.size() < maxBatch && (next = queue.poll()) != null) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    running.set(false);
                    if (queue.isEmpty() || !running.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                commit(batch);
            }
        }

        private void failAll(RuntimeException e) {
            Pending<?> next;
            while ((next = queue.poll()) != null) {
                next.future.completeExceptionally(e);
            }
        }

        private void commit(List<Pending<?>> batch) {
            long start = System.nanoTime();
            try {
                if (!attempt(batch, false)) {
                    // A write failed in SQL (not with an expected outcome): apply each in its own savepoint so that
                    // it fails alone.
                    attempt(batch, true);
                }
                for (Pending<?> pending : batch) {
                    pending.complete();
                }
                if (LOG.isDebugEnabled()) {
                    LOG.debug("committed {} write(s) to {} in {} µs", batch.size(), tableKey,
                            (System.nanoTime() - start) / 1000);
                }
            } catch (SQLException e) {
                StoreException failure = database.wrap(e);
                batch.forEach(p -> p.future.completeExceptionally(failure));
            } catch (RuntimeException e) {
                batch.forEach(p -> p.future.completeExceptionally(e));
            }
        }

        /**
         * Applies the batch in one transaction. Without savepoints (the fast path) a write that ends with an expected
         * outcome (a conflict, a missing record) has changed nothing, so the others go on; any other failure rolls
         * the transaction back and returns {@code false}.
         */
        private boolean attempt(List<Pending<?>> batch, boolean savepoints) throws SQLException {
            try (Connection connection = database.connection()) {
                database.dialect().beginWrite(connection);
                try {
                    TableClock tableClock = TableClock.lock(connection, tableKey, clock);
                    int savepoint = 0;
                    boolean anyApplied = false;
                    Map<String, Long> positions = new HashMap<>();
                    for (int i = 0; i < batch.size(); ) {
                        int end = savepoints ? i + 1 : endOfRun(batch, i);
                        if (savepoints) {
                            batch.get(i).applyInSavepoint(connection, tableClock, "outpost_w" + (++savepoint));
                        } else if (!(end - i == 1 ? batch.get(i).applyDirectly(connection, tableClock)
                                : applyTogether(connection, tableClock, batch.subList(i, end)))) {
                            connection.rollback();
                            return false;
                        }
                        for (Pending<?> pending : batch.subList(i, end)) {
                            if (pending.failure == null) {
                                anyApplied = true;
                                positions.merge(pending.owner, tableClock.last(), Math::max);
                            }
                        }
                        i = end;
                    }
                    if (anyApplied) {
                        tableClock.save(connection);
                        List<Change> changes = changes(positions, tableClock);
                        feed.beforeCommit(connection, changes);
                        connection.commit();
                        feed.afterCommit(changes);
                    } else {
                        connection.rollback();
                    }
                    return true;
                } catch (SQLException | RuntimeException e) {
                    Database.rollbackQuietly(connection, e);
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        }
    }

    /**
     * The changes a committed batch made: for each owner of applied writes (see {@link RowScope#owner()}), the
     * table's position after that owner's last write; {@code positions} holds them, by owner ({@code null}: every
     * reader).
     */
    private static List<Change> changes(Map<String, Long> positions, TableClock clock) {
        List<Change> changes = new ArrayList<>(positions.size());
        positions.forEach((owner, position) -> changes.add(new Change(clock.tableKey(), position,
                owner == null ? null : Set.of(owner))));
        return changes;
    }

    /** The end (exclusive) of the run of writes from {@code start} that can be applied in one call. */
    private static int endOfRun(List<Pending<?>> batch, int start) {
        int end = start + 1;
        if (batch.get(start).write instanceof Batchable<?> first) {
            while (end < batch.size() && batch.get(end).write instanceof Batchable<?> next && first.batchesWith(next)) {
                end++;
            }
        }
        return end;
    }

    /**
     * Applies a run of batchable writes in one call; returns {@code false} when it failed in a way that may have left
     * changes, so the batch must be retried with savepoints.
     */
    private static boolean applyTogether(Connection connection, TableClock clock, List<Pending<?>> run) {
        List<Batchable<?>> writes = new ArrayList<>(run.size());
        for (Pending<?> pending : run) {
            writes.add((Batchable<?>) pending.write);
        }
        List<? extends Outcome<?>> outcomes;
        try {
            outcomes = writes.get(0).applyAll(connection, clock, writes);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
        for (int i = 0; i < run.size(); i++) {
            if (!run.get(i).accept(outcomes.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** One write waiting for its batch, and its outcome. */
    private final class Pending<T> {
        private final Write<T> write;
        private final String owner;
        private final CompletableFuture<T> future = new CompletableFuture<>();
        private T result;
        private RuntimeException failure;

        Pending(Write<T> write, String owner) {
            this.write = write;
            this.owner = owner;
        }

        void applyInSavepoint(Connection connection, TableClock clock, String savepoint) throws SQLException {
            result = null;
            failure = null;
            try (Statement statement = connection.createStatement()) {
                statement.execute("SAVEPOINT " + savepoint);
                try {
                    result = write.apply(connection, clock);
                    statement.execute("RELEASE SAVEPOINT " + savepoint);
                } catch (SQLException | RuntimeException e) {
                    statement.execute("ROLLBACK TO SAVEPOINT " + savepoint);
                    statement.execute("RELEASE SAVEPOINT " + savepoint);
                    failure = e instanceof SQLException sql ? database.wrap(sql) : (RuntimeException) e;
                }
            }
        }

        /**
         * Applies the write without a savepoint; returns {@code false} when it failed in a way that may have left
         * changes (an SQL error or an unexpected exception), so the batch must be retried with savepoints.
         */
        boolean applyDirectly(Connection connection, TableClock clock) {
            result = null;
            failure = null;
            try {
                result = write.apply(connection, clock);
                return true;
            } catch (OutpostException e) {
                failure = e;
                return !(e instanceof StoreException);
            } catch (SQLException | RuntimeException e) {
                return false;
            }
        }

        /**
         * Takes an outcome of {@link Batchable#applyAll}; returns {@code false} when it refused the write with a
         * store failure (which may have left changes).
         */
        @SuppressWarnings("unchecked") // a run's writes batch with each other, so they share the first one's type
        boolean accept(Outcome<?> outcome) {
            result = null;
            failure = null;
            if (outcome instanceof Outcome.Refused<?> refused) {
                failure = refused.reason();
                return !(refused.reason() instanceof StoreException);
            }
            result = ((Outcome.Applied<T>) outcome).result();
            return true;
        }

        void complete() {
            if (failure != null) {
                future.completeExceptionally(failure);
            } else {
                future.complete(result);
            }
        }

        T await() {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException(StoreException.Kind.UNAVAILABLE, "interrupted while waiting for a write", e);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new StoreException(StoreException.Kind.FAILURE, "write failed: " + cause, cause);
            }
        }
    }
}
