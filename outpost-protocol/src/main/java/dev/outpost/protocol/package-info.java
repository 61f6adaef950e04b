/**
 * What the Outpost server and client share: {@link dev.outpost.protocol.SystemColumns},
 * {@link dev.outpost.protocol.Timestamps} (exactly three fractional digits and {@code Z} out),
 * {@link dev.outpost.protocol.ProtocolVersion}, {@link dev.outpost.protocol.ETags},
 * {@link dev.outpost.protocol.ErrorBody} and the root exception {@link dev.outpost.protocol.OutpostException}.
 * The query language lives in {@link dev.outpost.protocol.query}.
 */
package dev.outpost.protocol;
