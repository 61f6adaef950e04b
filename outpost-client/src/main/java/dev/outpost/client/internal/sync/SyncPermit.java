package dev.outpost.client.internal.sync;

/**
 * Lets one push or pull run at a time. Unlike a lock, it is not held while the work runs: a thread takes the
 * permit, releases the monitor, and does its network I/O; others wait until it is handed back. Re-entrant for the
 * thread that has it (a pull that pushes first). It guards no data: the store's transactions do that. Thread-safe.
 */
public final class SyncPermit {
    private Thread owner;
    private int holds;

    /** Waits for the permit. */
    public synchronized void acquire() {
        Thread me = Thread.currentThread();
        boolean interrupted = false;
        while (owner != null && owner != me) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        owner = me;
        holds++;
        if (interrupted) {
            me.interrupt();
        }
    }

    /** Hands the permit back. */
    public synchronized void release() {
        if (owner != Thread.currentThread()) {
            throw new IllegalStateException("the sync permit is not held by this thread");
        }
        if (--holds == 0) {
            owner = null;
            notifyAll();
        }
    }
}
