package dev.outpost.server;

import dev.outpost.protocol.OutpostException;

/**
 * An {@link OutpostServer} could not start. The message says what is wrong in one line (the database that cannot be
 * reached, the port in use, what is wrong with the tables file and where, a JWKS file that is not valid); the cause
 * carries the details.
 */
public final class ServerStartException extends OutpostException {
    private static final long serialVersionUID = 1L;

    /** Why the server could not start. */
    public enum Reason {
        /**
         * The database cannot be reached: refused, an unknown host, wrong credentials, a SQLite file that cannot be
         * created or opened.
         */
        DATABASE_UNREACHABLE,
        /** The address and port to listen on are taken, or cannot be bound. */
        PORT_IN_USE,
        /** The tables file cannot be read or is not valid. */
        INVALID_TABLES_FILE,
        /** The tables file and the tables in the database disagree (a column of another type). */
        SCHEMA_MISMATCH,
        /** A JWKS file (of {@code --auth-jwks} or a sign-in provider) cannot be read or is not valid. */
        INVALID_SIGN_IN_KEYS,
        /** Anything else (a database failure while creating the system tables, say). */
        OTHER
    }

    private final Reason reason;

    ServerStartException(Reason reason, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.reason = reason;
    }

    /** Why the server could not start. */
    public Reason reason() {
        return reason;
    }

    /** {@code message} with line breaks (and the indentation after them) turned into single spaces. */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
