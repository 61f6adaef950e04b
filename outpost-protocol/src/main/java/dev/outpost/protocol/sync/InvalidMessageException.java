package dev.outpost.protocol.sync;

import dev.outpost.protocol.OutpostException;

/**
 * A native sync message that does not follow its format: not JSON, a missing or mistyped field, an unknown kind or
 * status, a repeated operation id. The message names what is wrong and where (never record contents). A server
 * answers it with a 400; a client treats such an answer as a failed request.
 */
public final class InvalidMessageException extends OutpostException {
    private static final long serialVersionUID = 1L;

    /** A message that breaks its format as {@code what} says. */
    public InvalidMessageException(String what) {
        super(what);
    }

    /** A message that could not be read at all. */
    public InvalidMessageException(String what, Throwable cause) {
        super(what, cause);
    }
}
