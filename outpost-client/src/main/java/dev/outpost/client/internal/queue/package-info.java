/** The operation queue: one operation per record, collapse rules, persisted state. Not API. */
package dev.outpost.client.internal.queue;
