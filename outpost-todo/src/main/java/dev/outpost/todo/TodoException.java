package dev.outpost.todo;

import dev.outpost.protocol.OutpostException;

/**
 * A command could not do what was asked, for a reason the user can act on: an unknown or ambiguous id, a setting
 * with a wrong value, a store in use by another command. The message is one line, for people; the app prints it
 * without a stack trace and exits with {@link #exitCode()}.
 */
class TodoException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /** A failure reported as {@code message}, ending the command with {@code exitCode}. */
    TodoException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A failure reported as {@code message}, ending the command with {@link ExitCodes#FAILED}. */
    TodoException(String message) {
        this(message, ExitCodes.FAILED);
    }

    /** The process exit code this failure ends the command with. */
    int exitCode() {
        return exitCode;
    }
}
