package dev.outpost.client.exception;

import dev.outpost.protocol.OutpostException;
import java.io.IOException;

/**
 * The server could not be reached, or the connection failed before a complete answer arrived (refused, reset,
 * timed out, cut). The cause is the {@link IOException}.
 *
 * <p><b>The server may have applied the request</b>: a connection can fail after the request was delivered, while
 * the answer was on its way. During sync this is harmless: the operation queue is intact (an operation leaves it
 * only after its answer was stored), and the next push sends the operations again, recognising those that were
 * already applied. For an online {@link RemoteTable} call, read the record back before assuming either outcome.
 */
public final class NetworkException extends OutpostException {
    private static final long serialVersionUID = 1L;

    /** A network failure of the request described by {@code what}. */
    public NetworkException(String what, IOException cause) {
        super(what + " failed: " + cause, cause);
    }

    @Override
    public synchronized IOException getCause() {
        return (IOException) super.getCause();
    }
}
