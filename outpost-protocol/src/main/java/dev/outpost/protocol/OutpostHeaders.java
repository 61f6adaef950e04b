package dev.outpost.protocol;

/** Names of the HTTP headers and query parameters of the Outpost, v2 and v3 protocols. */
public final class OutpostHeaders {
    /** Selects the protocol dialect; also accepted as a query parameter of any case. */
    public static final String ZUMO_API_VERSION = "ZUMO-API-VERSION";
    /** Sent by an Outpost server on every response, with its version: announces the native extensions. */
    public static final String OUTPOST_SERVER = "X-Outpost-Server";
    /**
     * On a list answer of a soft-delete table: the tombstone horizon, an ISO-8601 UTC time. A client whose pull
     * position is older may have missed deletions whose tombstones were purged, and pulls the table from scratch.
     */
    public static final String TOMBSTONE_HORIZON = "X-Outpost-Tombstone-Horizon";
    /**
     * Sent with {@link #TOMBSTONE_HORIZON}: the server's time when it answered, an ISO-8601 UTC time. A pull that
     * ends with an empty page has seen every change up to it.
     */
    public static final String SERVER_TIME = "X-Outpost-Server-Time";
    /**
     * Sent by Outpost's client with a native batch push: how many operations its queue held (this batch's included,
     * parked ones not) when it sent the batch, a whole number. The server shows it in its fleet view.
     */
    public static final String QUEUE_DEPTH = "X-Outpost-Queue-Depth";
    /** The v2 authentication token header. */
    public static final String ZUMO_AUTH = "X-ZUMO-AUTH";
    /** Telemetry feature codes sent by v2 clients (ignored by servers). */
    public static final String ZUMO_FEATURES = "X-ZUMO-FEATURES";
    /** The v2/DS5 per-install id (ignored on tables). */
    public static final String ZUMO_INSTALLATION_ID = "X-ZUMO-INSTALLATION-ID";
    /** The client SDK's version string. */
    public static final String ZUMO_VERSION = "X-ZUMO-VERSION";
    /** DS5 client options, e.g. {@code nextLink=path} or {@code include:deleted}. */
    public static final String ZUMO_OPTIONS = "X-ZUMO-Options";
    /** The query parameter that includes soft-deleted records (name matched case-insensitively). */
    public static final String INCLUDE_DELETED = "__includeDeleted";

    private OutpostHeaders() {
    }
}
