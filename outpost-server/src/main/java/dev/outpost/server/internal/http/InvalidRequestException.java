package dev.outpost.server.internal.http;

import dev.outpost.protocol.OutpostException;

/** A request that breaks an HTTP-level rule: bad JSON, wrong media type, too large, a bad query option. */
final class InvalidRequestException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;

    InvalidRequestException(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    int status() {
        return status;
    }

    String code() {
        return code;
    }
}
