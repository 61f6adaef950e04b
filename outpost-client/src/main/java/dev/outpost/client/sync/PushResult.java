package dev.outpost.client.sync;

import java.util.List;

/**
 * What a push did. Immutable.
 *
 * @param pushed        operations the server applied (including those recognised as applied by an earlier,
 *                      unanswered attempt)
 * @param alreadyApplied of those, how many had been applied by an earlier attempt whose answer was lost
 * @param resolved      conflicts resolved by the {@link ConflictHandler} without parking
 * @param parked        operations parked by this push (refused, or left in conflict), with why
 */
public record PushResult(int pushed, int alreadyApplied, int resolved, List<PendingOperation> parked) {
    public PushResult {
        parked = List.copyOf(parked);
    }

    /** Whether nothing was parked. */
    public boolean isComplete() {
        return parked.isEmpty();
    }
}
