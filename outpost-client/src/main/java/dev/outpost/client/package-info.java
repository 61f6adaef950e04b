/** Outpost's client: {@code OutpostClient} and online tables. */
package dev.outpost.client;
