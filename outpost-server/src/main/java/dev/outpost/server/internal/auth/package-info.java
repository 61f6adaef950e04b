/**
 * Who is asking and what they may do: sign-in tokens verified into a {@link dev.outpost.server.internal.auth.Caller},
 * and the tables' access rules ({@link dev.outpost.server.internal.auth.TableAccess}) checked per operation.
 */
package dev.outpost.server.internal.auth;
