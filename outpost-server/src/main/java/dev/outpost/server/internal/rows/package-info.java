/**
 * Row rules: which rows of a table a signed-in caller may see and change (per-user tables, teams, tenants), turned
 * into the {@link dev.outpost.server.internal.store.RowScope} every read and write of the repository goes through.
 */
package dev.outpost.server.internal.rows;
