package dev.outpost.client.internal.push;

import java.util.List;

/** How pushed operations travel: a native batch, or one v2/v3 request each. */
interface Transport {
    /** How many operations one {@link #send} carries at most. */
    int batchSize();

    /**
     * Sends operations and returns one verdict each, in order.
     *
     * @throws dev.outpost.client.exception.NetworkException        if the answer did not arrive (the operations stay
     *                                                              queued)
     * @throws dev.outpost.client.exception.AuthenticationException on 401
     */
    List<Verdict> send(List<SentOperation> operations);

    /** A {@link #send} made ready on the pushing thread, to be run on the sender thread. */
    @FunctionalInterface
    interface Call {
        List<Verdict> send();
    }

    /**
     * Makes the {@link #send} of {@code operations} ready: whatever can be done before the network is (a native batch
     * is written to JSON here, while the previous batch is still on its way).
     */
    default Call call(List<SentOperation> operations) {
        return () -> send(operations);
    }

    /**
     * As {@link #call(List)}, telling the server (when the transport can) how many operations the queue holds.
     *
     * @param queueDepth the operations queued now, parked ones left out
     */
    default Call call(List<SentOperation> operations, long queueDepth) {
        return call(operations);
    }
}
