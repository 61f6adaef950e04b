/** JSON plumbing shared by the client's internals. Not API: may change at any time. */
package dev.outpost.client.internal.json;
