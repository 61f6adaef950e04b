/** Sync plumbing shared by push, pull and local writes: events, the sync permit, local writes. Not API. */
package dev.outpost.client.internal.sync;
