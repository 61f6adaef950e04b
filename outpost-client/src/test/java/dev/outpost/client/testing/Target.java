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
