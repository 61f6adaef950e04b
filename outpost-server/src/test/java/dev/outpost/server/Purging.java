package dev.outpost.server;

/** Test access to the server's tombstone purge. */
public final class Purging {
    private Purging() {
    }

    public static int purge(OutpostServer server) {
        return server.purgeTombstones();
    }
}
