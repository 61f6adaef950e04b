package dev.outpost.client.exception;

import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.OutpostException;

/**
 * A request that the server answered with an error status. Carries the status and the server's error body.
 *
 * <p>Online {@code RemoteTable} calls throw it for any error status. During sync, a server's verdict on one record
 * (a conflict, a refusal of its content) is a value in the push result, not an exception; an answer about the
 * request as a whole (an unknown table, an operation the server does not allow, the wrong protocol, a failure of
 * the server, an answer that is not the protocol's) stops the push or pull with this exception or one of its
 * subclasses ({@link AuthenticationException}, {@link ServerUnavailableException},
 * {@link UnexpectedAnswerException}), and every queued operation stays queued, not parked.
 */
public class ServerResponseException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient ErrorBody error;

    /** An error answer with {@code status} and the error body read from it. */
    public ServerResponseException(String what, int status, ErrorBody error) {
        super(what + " was answered " + status + ": " + error.error());
        this.status = status;
        this.error = error;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The server's error body (a generic one when the server sent none). */
    public ErrorBody error() {
        return error;
    }
}
