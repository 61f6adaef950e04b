package dev.outpost.client.exception;

import dev.outpost.protocol.ErrorBody;

/**
 * The server answered 401: the request carried no valid credentials. A push stops at the first 401 and leaves the
 * queue intact; refresh the token (see {@link dev.outpost.client.OutpostClient.Builder#authToken}) and push again.
 */
public final class AuthenticationException extends ServerResponseException {
    private static final long serialVersionUID = 1L;

    /** A 401 answer to the request described by {@code what}. */
    public AuthenticationException(String what, ErrorBody error) {
        super(what, 401, error);
    }
}
