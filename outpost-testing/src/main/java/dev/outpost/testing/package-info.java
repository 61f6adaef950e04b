/**
 * Test helpers shared by Outpost's modules: {@link dev.outpost.testing.TestPostgres} (skip locally, fail in CI),
 * {@link dev.outpost.testing.TestDatabase} (one suite, both databases) and {@link dev.outpost.testing.ChaosProxy}
 * (lost responses, refused connections, stalls).
 *
 * <p>This module depends on nothing else of Outpost's, so that the server's own tests can use it; tests start a
 * real server with {@code OutpostServer.builder()…port(0)}.
 */
package dev.outpost.testing;
