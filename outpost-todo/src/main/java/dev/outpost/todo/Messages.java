package dev.outpost.todo;

import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.ServerResponseException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;

/** One-line messages for what went wrong talking to the server. Stateless. */
final class Messages {
    private Messages() {
    }

    /** "Cannot reach the server at URL (connection refused)." */
    static String unreachable(String server, NetworkException e) {
        return "Cannot reach the server at " + server + " (" + reason(e.getCause()) + ").";
    }

    /** "The server at URL refused: STATUS MESSAGE." */
    static String refused(String server, ServerResponseException e) {
        return "The server at " + server + " answered " + e.status() + ": " + e.error().error();
    }

    /** Why a connection failed, in a few words. */
    static String reason(IOException cause) {
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (cause instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (cause instanceof InterruptedIOException) {
            return "no answer in time";
        }
        String message = cause == null ? null : cause.getMessage();
        return message == null || message.isBlank() ? "the connection broke" : "the connection broke: " + message;
    }
}
