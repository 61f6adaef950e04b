package dev.outpost.todo;

/** The exit codes of {@code outpost todo}, as listed in its {@code --help}. */
final class ExitCodes {
    /** The command did what was asked. */
    static final int OK = 0;
    /** The command failed: unknown or ambiguous id, a wrong value, a store in use. */
    static final int FAILED = 1;
    /** The command line was wrong (unknown command or option, missing argument). */
    static final int USAGE = 2;
    /** {@code sync} could not reach the server (or the connection broke); every change is still queued. */
    static final int OFFLINE = 3;
    /** {@code sync} finished, but conflicts (or refused changes) are parked and need {@code conflicts}. */
    static final int CONFLICTS = 4;
    /**
     * {@code sync} was refused by the server as a whole (a failure of the server, an unknown table, an answer
     * that is not the protocol's); every change is still queued.
     */
    static final int REFUSED = 5;
    /**
     * {@code sync} was refused for who is asking: no token, or the server refused it (401), or the list belongs to
     * another user; every change is still queued.
     */
    static final int SIGN_IN = 6;

    private ExitCodes() {
    }
}
