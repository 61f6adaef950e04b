/** Pull: native cursor pages or v2/v3 timestamp-and-skip pages, written one transaction per page. Not API. */
package dev.outpost.client.internal.pull;
