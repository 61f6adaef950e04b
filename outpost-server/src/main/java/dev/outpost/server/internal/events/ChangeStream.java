package dev.outpost.server.internal.events;

import java.time.Instant;
import java.util.Set;

/** An open event stream, as the {@link ChangeHub} sees it. Implementations are thread-safe and never block. */
public interface ChangeStream {
    /** The signed-in user the stream belongs to, or {@code null} for an anonymous one. */
    String userId();

    /** The keys of the tables it watches. */
    Set<String> tables();

    /** When the caller's sign-in expires (the stream ends then), or {@code null}. */
    Instant expires();

    /** Table {@code table} (a key it watches) moved to {@code position}. */
    void change(String table, long position);

    /** Changes may have been lost: the client should pull every table. */
    void resync(String reason);

    /** Sends a keep-alive comment if nothing else is waiting to be sent. */
    void keepAlive();

    /** Ends the stream (idempotent). */
    void end();
}
