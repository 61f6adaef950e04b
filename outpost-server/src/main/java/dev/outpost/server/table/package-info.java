/**
 * Table schemas: declared in a tables file or grown by the dynamic schema, shared by every replica through the
 * {@code outpost_columns} and {@code outpost_clock} system tables. Types here are internal to the server.
 */
package dev.outpost.server.table;
