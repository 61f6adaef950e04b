package dev.outpost.client;

/**
 * Supplies the auth token sent with every request, or {@code null} to send none. Called on the requesting thread
 * for every request, so it can hand out a refreshed token; it must be thread-safe and fast.
 */
@FunctionalInterface
public interface TokenProvider {
    /** The current token, or {@code null}. */
    String token();
}
