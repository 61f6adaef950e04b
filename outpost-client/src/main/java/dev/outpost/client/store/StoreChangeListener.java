package dev.outpost.client.store;

import java.util.Set;

/**
 * Told which tables changed, after the outermost transaction that changed them has committed.
 *
 * <p>Called on the thread that committed, with no store lock held. It must be fast, must not throw (what it throws
 * is caught and dropped) and may read the store.
 */
@FunctionalInterface
public interface StoreChangeListener {
    /** The tables (as defined, original spelling) that a committed transaction wrote to. */
    void tablesChanged(Set<String> tables);
}
