/**
 * The OData query language of the table protocol: {@link dev.outpost.protocol.query.Filter} (an immutable syntax
 * tree), {@link dev.outpost.protocol.query.FilterParser} (v2 and v3 text in, with limits on size and depth),
 * {@link dev.outpost.protocol.query.FilterWriter} (text out in either dialect) and
 * {@link dev.outpost.protocol.query.Query}.
 */
package dev.outpost.protocol.query;
