/**
 * The HTTP layer: routes, one handler per table operation, protocol negotiation, request limits, next-page links
 * and the one exception-to-answer table ({@link dev.outpost.server.http.ErrorMapper}). Types here are internal to
 * the server.
 */
package dev.outpost.server.http;
