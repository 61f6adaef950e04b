package dev.outpost.client.internal.live;

import dev.outpost.client.internal.sync.StoreSync;
import dev.outpost.client.sync.LiveSyncOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A live sync's pulls and pushes, run one at a time on the live sync's worker thread. Others mark what is due (a
 * table changed, the queue changed, everything after a reconnect or a poll tick); the worker waits until the marks
 * have settled ({@code debounce} without another one, at most ten times that after the first), then pushes if the
 * queue asks for it and pulls each marked table's watched queries through the context, which takes its sync
 * permit: live pulls and pushes never overlap the app's own, and invariant 4 holds as for any pull or push.
 *
 * <p>Work is done only while the sync is online: the change events are open, or it polls. A marked table stays
 * marked until its pull succeeds, so nothing the events announced is lost to a failed pull; failures are retried
 * after a back-off delay (in polling mode, at the next tick). Thread-safe: the marks are guarded by {@link #lock},
 * which is never held while a pull or push runs.
 */
final class LiveWork implements Runnable {
    private final StoreSync sync;
    private final Map<String, List<LiveSyncOptions.Watch>> watchesByTable = new LinkedHashMap<>();
    private final long debounceNanos;
    private final long pollNanos;
    private final Backoff retry;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition marked = lock.newCondition();
    /** Guarded by {@link #lock}: the tables (lower case) to pull. */
    private final Set<String> dirty = new LinkedHashSet<>();
    /** Guarded by {@link #lock}: whether to push. */
    private boolean pushWanted;
    /** Guarded by {@link #lock}: whether the change events are open (or the sync polls). */
    private boolean online;
    private boolean polling;
    private boolean stopping;
    private long firstMarkAt;
    private long lastMarkAt;
    /** Whether work waits until {@link #retryAt} after a failed round. */
    private boolean backingOff;
    private long retryAt;
    private long nextPollAt;

    LiveWork(StoreSync sync, LiveSyncOptions options) {
        this.sync = sync;
        for (LiveSyncOptions.Watch watch : options.watches()) {
            watchesByTable.computeIfAbsent(key(watch.table()), k -> new ArrayList<>()).add(watch);
        }
        this.debounceNanos = options.debounce().toNanos();
        this.pollNanos = options.pollInterval().toNanos();
        this.retry = new Backoff(options.initialReconnectDelay(), options.maxReconnectDelay());
    }

    private static String key(String table) {
        return table.toLowerCase(Locale.ROOT);
    }

    /** The change events opened: push what is queued, and pull every table unless the stream resumed. */
    void connected(boolean resumed) {
        lock.lock();
        try {
            online = true;
            backingOff = false;
            retry.reset();
            boolean had = hasWork();
            pushWanted = true;
            if (!resumed) {
                dirty.addAll(watchesByTable.keySet());
            }
            markedNow(had);
        } finally {
            lock.unlock();
        }
    }

    /** The change events closed: keep the marks until they open again. */
    void disconnected() {
        lock.lock();
        try {
            online = false;
        } finally {
            lock.unlock();
        }
    }

    /** From now on: pull every table and push every poll interval, starting now. */
    void startPolling() {
        lock.lock();
        try {
            online = true;
            polling = true;
            nextPollAt = System.nanoTime();
            marked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** {@code table} changed on the server (a name the sync does not watch is ignored). */
    void tableChanged(String table) {
        lock.lock();
        try {
            if (watchesByTable.containsKey(key(table))) {
                boolean had = hasWork();
                dirty.add(key(table));
                markedNow(had);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The server could not tell what changed: pull every table. */
    void everythingChanged() {
        lock.lock();
        try {
            boolean had = hasWork();
            dirty.addAll(watchesByTable.keySet());
            markedNow(had);
        } finally {
            lock.unlock();
        }
    }

    /** The queue changed (a local write or resolution): push soon. */
    void queueChanged() {
        lock.lock();
        try {
            boolean had = hasWork();
            pushWanted = true;
            markedNow(had);
        } finally {
            lock.unlock();
        }
    }

    /** Asks the worker to end after what it is doing. */
    void stop() {
        lock.lock();
        try {
            stopping = true;
            marked.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private boolean stopping() {
        lock.lock();
        try {
            return stopping;
        } finally {
            lock.unlock();
        }
    }

    /** Guarded by {@link #lock}: something was marked now; {@code had}: whether work was waiting before. */
    private void markedNow(boolean had) {
        long now = System.nanoTime();
        if (!had) {
            firstMarkAt = now;
        }
        lastMarkAt = now;
        marked.signalAll();
    }

    /** Guarded by {@link #lock}. */
    private boolean hasWork() {
        return pushWanted || !dirty.isEmpty();
    }

    /** Guarded by {@link #lock}: when the marks are due, in {@link System#nanoTime()} terms. */
    private long dueAt() {
        if (!online || !hasWork()) {
            return Long.MAX_VALUE;
        }
        // nanoTime values are compared by their difference only: they may be negative, and may wrap.
        long settled = earlier(lastMarkAt + debounceNanos, firstMarkAt + 10 * debounceNanos);
        return backingOff && retryAt - settled > 0 ? retryAt : settled;
    }

    private static long earlier(long a, long b) {
        return a - b < 0 ? a : b;
    }

    @Override
    public void run() {
        while (true) {
            Set<String> tables;
            boolean push;
            lock.lock();
            try {
                while (true) {
                    if (stopping) {
                        return;
                    }
                    long now = System.nanoTime();
                    if (polling && now - nextPollAt >= 0) {
                        dirty.addAll(watchesByTable.keySet());
                        pushWanted = true;
                        firstMarkAt = now;
                        lastMarkAt = now - debounceNanos;
                        nextPollAt = now + pollNanos;
                    }
                    long due = dueAt();
                    if (due != Long.MAX_VALUE && now - due >= 0) {
                        break;
                    }
                    long until = !polling ? due : due == Long.MAX_VALUE ? nextPollAt : earlier(due, nextPollAt);
                    if (until == Long.MAX_VALUE) {
                        marked.awaitUninterruptibly();
                    } else {
                        awaitNanos(until - now);
                    }
                }
                tables = new LinkedHashSet<>(dirty);
                push = pushWanted;
                dirty.clear();
                pushWanted = false;
            } finally {
                lock.unlock();
            }
            runOnce(tables, push);
        }
    }

    private void awaitNanos(long nanos) {
        try {
            marked.await(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // Only stop() ends the worker; it signals instead of interrupting.
        }
    }

    /** One round: push if asked (and the queue has something to send), then pull each table's watched queries. */
    private void runOnce(Set<String> tables, boolean push) {
        boolean failed = false;
        if (push) {
            try {
                if (sync.hasPushable()) {
                    sync.push();
                }
            } catch (RuntimeException e) {
                // Reported to the listener by the push itself (pushFailed); the queue is intact. Tried again later.
                failed = true;
                queueChanged();
            }
        }
        for (String table : tables) {
            if (stopping()) {
                return;
            }
            for (LiveSyncOptions.Watch watch : watchesByTable.get(table)) {
                try {
                    sync.pull(watch.table(), watch.query(), watch.queryId());
                } catch (RuntimeException e) {
                    // Reported by the pull (pullFailed). The table stays marked so that no announced change is lost.
                    failed = true;
                    tableChanged(table);
                    break;
                }
            }
        }
        settle(failed);
    }

    /** After a round: back off before the next one if it failed, else start the back-off over. */
    private void settle(boolean failed) {
        lock.lock();
        try {
            backingOff = failed;
            if (!failed) {
                retry.reset();
            } else if (polling) {
                retryAt = nextPollAt;
            } else {
                retryAt = System.nanoTime() + retry.next().toNanos();
            }
        } finally {
            lock.unlock();
        }
    }
}
