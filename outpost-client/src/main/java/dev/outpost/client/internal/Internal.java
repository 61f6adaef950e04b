package dev.outpost.client.internal;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.sync.SyncContext;

/**
 * Lets the public classes of different packages reach each other's internals without making them public API
 * (okhttp's {@code Internal} pattern). Each public class registers its accessor in its static initializer.
 */
public abstract class Internal {
    private static volatile ClientAccess clientAccess;
    private static volatile SyncContextFactory syncContextFactory;

    /** What {@link OutpostClient} registers. */
    public interface ClientAccess {
        /** The client's HTTP calls. */
        TableApi api(OutpostClient client);
    }

    /** What {@link SyncContext} registers. */
    public interface SyncContextFactory {
        /** A new, uninitialised sync context for {@code client}. */
        SyncContext create(OutpostClient client);
    }

    private Internal() {
    }

    /** Called once by {@link OutpostClient}. */
    public static void registerClient(ClientAccess access) {
        clientAccess = access;
    }

    /** Called once by {@link SyncContext}. */
    public static void registerSyncContext(SyncContextFactory factory) {
        syncContextFactory = factory;
    }

    /** The client's HTTP calls. */
    public static TableApi api(OutpostClient client) {
        return clientAccess.api(client);
    }

    /** A new sync context for {@code client}. */
    public static SyncContext newSyncContext(OutpostClient client) {
        if (syncContextFactory == null) {
            try {
                Class.forName(SyncContext.class.getName(), true, SyncContext.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        }
        return syncContextFactory.create(client);
    }
}
