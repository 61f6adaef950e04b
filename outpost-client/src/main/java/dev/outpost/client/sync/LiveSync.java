package dev.outpost.client.sync;

/**
 * A running live sync of a {@link dev.outpost.client.SyncContext}: it keeps the server's change events open, pulls
 * the watched tables when they change and pushes local changes soon after they are made, until it is stopped.
 * Started by {@code SyncContext.startLiveSync(…)}; what it does is described there and in {@code docs/client.md}
 * ("Live sync").
 *
 * <pre>{@code
 * try (LiveSync live = sync.startLiveSync("todoitem")) {
 *     // the app runs; todoitem follows the server, local writes go out within a moment
 * }
 * }</pre>
 *
 * <p>Thread-safe. {@link #stop()} may be called from any thread, more than once.
 */
public interface LiveSync extends AutoCloseable {
    /** What a live sync is doing. */
    enum State {
        /** Opening the change events, or waiting to open them again after a failure (offline, say). */
        CONNECTING,
        /** The change events are open: changes are pulled as the server announces them. */
        CONNECTED,
        /** The server has no change events: the watched tables are pulled (and the queue pushed) periodically. */
        POLLING,
        /** Stopped: nothing more is sent. */
        STOPPED
    }

    /** What it is doing now. */
    State state();

    /**
     * Stops: closes the change events, lets a pull or push in progress finish (waiting for it up to the options'
     * {@link LiveSyncOptions#stopTimeout() stopTimeout}) and ends its threads. Once it returns nothing more is
     * started; operations still queued stay queued for the next push. Harmless when already stopped.
     */
    void stop();

    /** {@link #stop()}. */
    @Override
    void close();
}
