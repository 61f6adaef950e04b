package dev.outpost.client.exception;

import dev.outpost.protocol.ErrorBody;

/**
 * The server's answer is not the table protocol's JSON: an HTML page from a proxy or a login portal, a web server
 * that is not an Outpost or Azure Mobile Apps server (check the URL), or an answer cut short. Nothing is taken from
 * it; a push stops with every operation still queued.
 */
public final class UnexpectedAnswerException extends ServerResponseException {
    private static final long serialVersionUID = 1L;

    /** An answer with {@code status} that is not protocol JSON; {@code error} says what it was. */
    public UnexpectedAnswerException(String what, int status, ErrorBody error) {
        super(what, status, error);
    }
}
