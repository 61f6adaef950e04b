/**
 * The HTTP layer: routes, one handler per table operation, protocol negotiation, request limits, next-page links and
 * the one exception-to-answer table ({@link dev.outpost.server.internal.http.ErrorMapper}). Not API: internal to the
 * server, may change in any release.
 */
package dev.outpost.server.internal.http;
