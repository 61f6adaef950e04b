package dev.outpost.client.sync;

/**
 * Decides what happens when the server refuses a pushed change because the record changed there too.
 *
 * <p>Called on the pushing thread, with no lock held, once per conflict (and at most a few times per operation in
 * one push). It must not call back into push or pull. What it throws is treated as {@link ConflictResolution#park()}.
 * Stock handlers are in {@link ConflictHandlers}.
 */
@FunctionalInterface
public interface ConflictHandler {
    /** The resolution of {@code conflict}. */
    ConflictResolution resolve(Conflict conflict);
}
