/**
 * Table schemas: declared in a tables file or grown by the dynamic schema, shared by every replica through the
 * {@code outpost_columns} and {@code outpost_clock} system tables. Not API: internal to the server, may change in
 * any release.
 */
package dev.outpost.server.internal.table;
