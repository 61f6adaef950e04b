package dev.outpost.client;

/** Which protocol an {@link OutpostClient} speaks. */
public enum Protocol {
    /** Azure Mobile Apps ({@code ZUMO-API-VERSION: 2.0.0}): PATCH updates, bare-array queries. */
    V2,
    /** Datasync ({@code ZUMO-API-VERSION: 3.0.0}): PUT updates, {@code {items,count,nextLink}} queries. */
    V3,
    /**
     * Outpost's native extensions (batch push, cursor pull) when the server announces {@code X-Outpost-Server};
     * otherwise v3, or v2 when the server refuses v3's API version as the official Azure Mobile Apps servers do
     * (found once per client, and remembered in a sync context's store for that server URL). The default.
     */
    AUTO
}
