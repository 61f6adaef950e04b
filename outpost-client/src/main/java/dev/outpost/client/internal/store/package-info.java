/** The SQLite side of the local store: filter-to-SQL translation and value conversion. Not API. */
package dev.outpost.client.internal.store;
