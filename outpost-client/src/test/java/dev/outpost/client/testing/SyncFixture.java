package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.store.SqliteLocalStore;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.SyncContext;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.client.sync.SyncTable;
import dev.outpost.testing.ChaosProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A server (behind a {@link ChaosProxy}) and any number of devices, each a client with its own store file.
 * Close it to stop everything.
 */
public final class SyncFixture implements AutoCloseable {
    public final FakeTableServer server;
    public final ChaosProxy proxy;
    private final Path dir;
    private final List<SqliteLocalStore> open = new ArrayList<>();

    public SyncFixture(FakeTableServer.Mode mode, Path dir) {
        this.mode = mode;
        this.server = new FakeTableServer(mode);
        this.proxy = ChaosProxy.start("127.0.0.1", server.port());
        this.dir = dir;
    }

    /** The protocol a client uses against this server's mode. */
    public Protocol protocol() {
        return switch (serverMode()) {
            case V2 -> Protocol.V2;
            case V3 -> Protocol.V3;
            default -> Protocol.AUTO;
        };
    }

    private final FakeTableServer.Mode mode;

    private FakeTableServer.Mode serverMode() {
        return mode;
    }

    /** A client talking to the server through the proxy. */
    public OutpostClient client() {
        return OutpostClient.builder().baseUrl(proxy.url()).protocol(protocol()).build();
    }

    /** A device: a client and a store file named {@code name}, initialized with {@code handler}. */
    public Device device(String name, ConflictHandler handler) {
        return device(name, handler, SyncListener.NONE);
    }

    /** A device with a listener. */
    public Device device(String name, ConflictHandler handler, SyncListener listener) {
        SqliteLocalStore store = SqliteLocalStore.open(dir.resolve(name + ".db"));
        open.add(store);
        SyncContext sync = client().getSyncContext();
        sync.initialize(store, handler, listener);
        return new Device(store, sync, sync.getSyncTable("todoitem"));
    }

    /** A device: its store, sync context and todo table. */
    public record Device(SqliteLocalStore store, SyncContext sync, SyncTable<ObjectNode> todos) {
        /** The local record's text, or {@code null}. */
        public String text(String id) {
            return todos.lookup(id).map(r -> r.path("text").asText(null)).orElse(null);
        }
    }

    /** A todo as JSON. */
    public static ObjectNode todo(String id, String text) {
        return Json.object().put("id", id).put("text", text).put("complete", false);
    }

    @Override
    public void close() {
        for (SqliteLocalStore store : open) {
            store.close();
        }
        proxy.close();
        server.close();
    }
}
