package dev.outpost.client.exception;

import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.OutpostException;

/**
 * An online {@link RemoteTable} call that the server answered with an error status. Carries the status and the
 * server's error body. (During sync, server verdicts are values in the push result, not exceptions; only 401 stops
 * a push, as {@link AuthenticationException}.)
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
