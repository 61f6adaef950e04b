package dev.outpost.client.internal.live;

import dev.outpost.client.internal.Events;
import dev.outpost.client.internal.sync.StoreSync;
import dev.outpost.client.sync.LiveSync;
import dev.outpost.client.sync.LiveSyncOptions;
import java.time.Duration;

/**
 * A running live sync: two daemon threads, {@code outpost-live-stream} (the {@link EventStream}) and
 * {@code outpost-live-sync} (the {@link LiveWork}), and the hook that tells the work about local writes. Stopping
 * ends both threads. Thread-safe.
 */
public final class RealLiveSync implements LiveSync {
    private final StoreSync sync;
    private final Events events;
    private final LiveWork work;
    private final EventStream stream;
    private final Thread streamThread;
    private final Thread workThread;
    private final Duration stopTimeout;
    private final Runnable queueChanged;
    private volatile State state = State.CONNECTING;

    private RealLiveSync(StoreSync sync, LiveSyncOptions options) {
        this.sync = sync;
        this.events = sync.events();
        this.stopTimeout = options.stopTimeout();
        this.work = new LiveWork(sync, options);
        this.queueChanged = work::queueChanged;
        this.stream = new EventStream(sync.api(), events, work, options, this::moveTo);
        this.streamThread = daemon(stream, "outpost-live-stream");
        this.workThread = daemon(work, "outpost-live-sync");
    }

    /** Starts a live sync over {@code sync}'s store, as {@code options} say. */
    public static RealLiveSync start(StoreSync sync, LiveSyncOptions options) {
        RealLiveSync live = new RealLiveSync(sync, options);
        sync.onQueueChanged(live.queueChanged);
        live.workThread.start();
        live.streamThread.start();
        return live;
    }

    private static Thread daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Moves to {@code next}, unless stopped already (a stopped sync stays stopped). */
    private synchronized void moveTo(State next) {
        if (state != State.STOPPED) {
            state = next;
        }
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public void stop() {
        synchronized (this) {
            if (state == State.STOPPED) {
                return;
            }
            state = State.STOPPED;
        }
        sync.removeQueueListener(queueChanged);
        stream.stop();
        work.stop();
        long deadline = System.nanoTime() + stopTimeout.toNanos();
        join(streamThread, deadline);
        join(workThread, deadline);
        events.liveSyncStopped();
    }

    /** Waits for {@code thread} to end until {@code deadline} (not when it is the calling thread: a listener's). */
    private static void join(Thread thread, long deadline) {
        if (thread == Thread.currentThread()) {
            return;
        }
        boolean interrupted = false;
        try {
            while (thread.isAlive()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    thread.join(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        stop();
    }
}
