package dev.outpost.client.testing;

import dev.outpost.client.Protocol;
import java.nio.file.Path;

/** A server and the protocol a client speaks to it: what the sync suites run against. */
public enum Target {
    /** The in-test server with Outpost's native extensions; the client in AUTO mode. */
    FAKE_NATIVE(Protocol.AUTO),
    /** The in-test server answering like the official Node server (v2). */
    FAKE_V2(Protocol.V2),
    /** The in-test server speaking v3. */
    FAKE_V3(Protocol.V3),
    /** A real Outpost server, client in v2. */
    OUTPOST_V2(Protocol.V2),
    /** A real Outpost server, client in v3. */
    OUTPOST_V3(Protocol.V3),
    /** A real Outpost server, client in AUTO (native extensions when the server serves them). */
    OUTPOST_AUTO(Protocol.AUTO),
    /** The official Azure Mobile Apps Node server (v2), when installed; skipped otherwise. */
    NODE_V2(Protocol.V2);

    private final Protocol protocol;

    Target(Protocol protocol) {
        this.protocol = protocol;
    }

    /** The protocol the client uses. */
    public Protocol protocol() {
        return protocol;
    }

    /** Whether the client pulls from this target with Outpost's native cursor pull. */
    public boolean pullsNatively() {
        return this == FAKE_NATIVE || this == OUTPOST_AUTO;
    }

    /** The path of the requests that fetch a page of a pull of {@code table}. */
    public String pullPagePath(String table) {
        return pullsNatively() ? "/outpost/v1/tables/" + table + "/changes" : "/tables/" + table;
    }

    /**
     * How many records a test writes within one millisecond: several of this target's pull pages, and no more than
     * its server inserts in a moment (the official Node server takes a few milliseconds each).
     */
    public int recordsInOneMillisecond() {
        return pullsNatively() ? 5_000 : this == NODE_V2 ? 400 : 1_200;
    }

    /**
     * How many records make more than one page of a pull from this target: the client asks for 1,000 a page, which
     * the native pull and both v2 servers (official Node and Outpost, which answer a {@code $top} in full) give,
     * while the in-test v2 server's pages hold 50 and v3 pages 100.
     */
    public int recordsOverOnePage() {
        return pagesOfAThousand() ? 1_100 : 260;
    }

    /** How many records make two and a half pages of a pull from this target (written with two timestamps). */
    public int recordsOverTwoPages() {
        return pagesOfAThousand() ? 2_500 : 130;
    }

    private boolean pagesOfAThousand() {
        return pullsNatively() || this == NODE_V2 || this == OUTPOST_V2;
    }

    /** Whether the server creates tables and columns on first use (the official Node server's table is declared). */
    public boolean hasDynamicSchema() {
        return this != NODE_V2;
    }

    /** Whether this is the scriptable in-test server. */
    public boolean isFake() {
        return name().startsWith("FAKE");
    }

    /** Starts the server. */
    public Backend start(Path dir) {
        switch (this) {
            case FAKE_NATIVE:
                return new FakeTableServer(FakeTableServer.Mode.NATIVE);
            case FAKE_V2:
                return new FakeTableServer(FakeTableServer.Mode.V2);
            case FAKE_V3:
                return new FakeTableServer(FakeTableServer.Mode.V3);
            case NODE_V2:
                return new NodeServer(dir);
            default:
                return new RealOutpost(dir);
        }
    }
}
