package dev.outpost.todo;

import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.exception.ServerUnavailableException;
import dev.outpost.client.exception.UnexpectedAnswerException;
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

    /** What a server's refusal of a whole request means, in one sentence. */
    static String refused(String server, ServerResponseException e) {
        if (e instanceof AuthenticationException) {
            return "The server at " + server + " refused the sign-in (401: " + e.error().error() + "): log in with"
                    + " ./outpost todo login --token TOKEN.";
        }
        if (e instanceof UnexpectedAnswerException) {
            return "The server at " + server + " did not answer as an Outpost or Azure Mobile Apps server ("
                    + e.error().error() + "): check the server address (config server).";
        }
        if (e instanceof ServerUnavailableException unavailable) {
            return "The server at " + server + " cannot serve the sync now (" + e.status() + ": " + e.error().error()
                    + ")" + unavailable.retryAfter().map(wait -> "; it asks to try again in " + wait.toSeconds()
                    + " s").orElse("") + ".";
        }
        if ("unknownTable".equals(e.error().code()) || e.status() == 404) {
            return "The server at " + server + " does not serve the todo list's table (" + e.status() + ": "
                    + e.error().error() + ").";
        }
        return "The server at " + server + " refused the sync (" + e.status() + ": " + e.error().error() + ").";
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
