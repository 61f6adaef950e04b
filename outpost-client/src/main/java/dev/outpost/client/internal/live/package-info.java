/**
 * Live sync: {@link dev.outpost.client.internal.live.RealLiveSync} runs an
 * {@link dev.outpost.client.internal.live.EventStream} (the change events, on its own thread, reconnecting with
 * {@link dev.outpost.client.internal.live.Backoff}) and a {@link dev.outpost.client.internal.live.LiveWork} (the
 * debounced pulls and pushes, on another). Not API.
 */
package dev.outpost.client.internal.live;
