package dev.outpost.server.internal.auth;

import dev.outpost.protocol.OutpostException;

/**
 * A token could not be verified because the keys it needs cannot be read: the JWKS URL has not answered since the
 * server started. Not the token's fault, so not a 401: the request may be tried again later (503).
 */
public final class KeysUnavailableException extends OutpostException {
    private static final long serialVersionUID = 1L;

    KeysUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
