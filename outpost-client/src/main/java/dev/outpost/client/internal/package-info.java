/** Outpost client internals. Nothing under {@code internal} is API: it may change in any release. */
package dev.outpost.client.internal;
