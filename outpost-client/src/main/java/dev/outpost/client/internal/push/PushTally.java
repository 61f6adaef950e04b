package dev.outpost.client.internal.push;

import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.client.sync.PushResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The counters of one push, and how often each record's conflict was resolved. Confined to the pushing thread. */
final class PushTally {
    /** How often one record's conflict may be resolved in one push before it is parked. */
    static final int MAX_RESOLUTIONS = 3;

    private int pushed;
    private int alreadyApplied;
    private int resolved;
    private final List<PendingOperation> parked = new ArrayList<>();
    private final Map<OperationQueue.Key, Integer> resolutions = new HashMap<>();

    /** Counts a stored answer. */
    void count(Outcome outcome) {
        if (outcome == Outcome.PUSHED) {
            pushed++;
        } else if (outcome == Outcome.ALREADY_APPLIED) {
            pushed++;
            alreadyApplied++;
        }
    }

    /** Counts a conflict the handler resolved. */
    void resolved() {
        resolved++;
    }

    /** Notes a parked operation. */
    void parked(PendingOperation operation) {
        parked.add(operation);
    }

    /** Counts one more sending of {@code key}'s operation after a resolution; whether it is still allowed. */
    boolean mayResend(OperationQueue.Key key) {
        return resolutions.merge(key, 1, Integer::sum) <= MAX_RESOLUTIONS;
    }

    /** The push's result. */
    PushResult result() {
        return new PushResult(pushed, alreadyApplied, resolved, parked);
    }
}
