package dev.outpost.client.exception;

import dev.outpost.protocol.OutpostException;

/**
 * A sync as another user than the one the local store belongs to: a store holds one user's data, so it syncs as
 * that user only, until the app signs out ({@link dev.outpost.client.SyncContext#signOut()}). Nothing was sent.
 */
public final class StoreOwnerException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final String owner;
    private final String user;

    /** A sync as {@code user} of a store that belongs to {@code owner}. */
    public StoreOwnerException(String owner, String user) {
        super("this local store belongs to user '" + owner + "' and cannot sync as '" + user + "': sign out first"
                + " (SyncContext.signOut), which pushes what it can and clears the local data");
        this.owner = owner;
        this.user = user;
    }

    /** The user the store belongs to (the token subject it first synced as). */
    public String owner() {
        return owner;
    }

    /** The user the sync was tried as. */
    public String user() {
        return user;
    }
}
