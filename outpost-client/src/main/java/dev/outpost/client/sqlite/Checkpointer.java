package dev.outpost.client.sqlite;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies the WAL's committed pages into the database file a moment after a commit, on its own daemon thread
 * ({@code outpost-store-checkpoint}): the commit that crosses SQLite's threshold does not pay for it (after a pull's
 * page, that was a third of the page's time). One checkpoint is scheduled at a time; it runs like a transaction,
 * under the store's lock. Thread-safe.
 */
final class Checkpointer {
    private static final long DELAY_MILLIS = 100;

    private final Runnable checkpoint;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "outpost-store-checkpoint");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** Runs {@code checkpoint} (which takes the store's lock itself) shortly after commits. */
    Checkpointer(Runnable checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** Schedules a checkpoint, unless one is scheduled already. */
    void schedule() {
        if (!scheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.schedule(this::run, DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: the connection's close checkpoints the WAL.
            scheduled.set(false);
        }
    }

    private void run() {
        scheduled.set(false);
        checkpoint.run();
    }

    /** Stops the thread; a checkpoint under way is interrupted only between statements. */
    void close() {
        executor.shutdownNow();
    }
}
