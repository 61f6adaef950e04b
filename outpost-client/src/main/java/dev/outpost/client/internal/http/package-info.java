/** HTTP: the table and native calls on OkHttp, and the headers every request carries. Not API. */
package dev.outpost.client.internal.http;
