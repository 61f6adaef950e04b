package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.testing.ChaosProxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A server (behind a {@link ChaosProxy}) and any number of devices, each a client with its own store file.
 * Close it to stop everything.
 */
public final class SyncFixture implements AutoCloseable {
    public final Backend server;
    public final ChaosProxy proxy;
    private final Path dir;
    private final List<LocalStore> open = new ArrayList<>();

    public SyncFixture(Target target, Path dir) {
        this.target = target;
        this.server = target.start(dir);
        this.proxy = ChaosProxy.start("127.0.0.1", server.port());
        this.dir = dir;
    }

    private final Target target;

    /** The protocol a client uses. */
    public Protocol protocol() {
        return target.protocol();
    }

    /** The scriptable in-test server (only for the FAKE targets). */
    public FakeTableServer fake() {
        if (!(server instanceof FakeTableServer fake)) {
            throw new IllegalStateException(target + " is not the scriptable in-test server");
        }
        return fake;
    }

    /** A client talking to the server through the proxy. */
    public OutpostClient client() {
        return OutpostClient.builder().baseUrl(proxy.url()).protocol(protocol()).build();
    }

    /** The store file of the device named {@code name}. */
    public Path storeFile(String name) {
        return dir.resolve(name + ".db");
    }

    /** A device: a client and a store file named {@code name}, initialized with {@code handler}. */
    public Device device(String name, ConflictHandler handler) {
        return device(name, handler, SyncListener.NONE);
    }

    /** A device with a listener. */
    public Device device(String name, ConflictHandler handler, SyncListener listener) {
        return device(name, handler, listener, UnaryOperator.identity());
    }

    /** A device whose store is wrapped by {@code wrap} (e.g. in a {@link FailingLocalStore}). */
    public Device device(String name, ConflictHandler handler, SyncListener listener, UnaryOperator<LocalStore> wrap) {
        LocalStore store = wrap.apply(SqliteLocalStore.open(storeFile(name)));
        open.add(store);
        SyncContext sync = client().newSyncContext(store, handler, listener);
        return new Device(store, sync, sync.getSyncTable("todoitem"));
    }

    /** A device: its store, sync context and todo table. */
    public record Device(LocalStore store, SyncContext sync, SyncTable<ObjectNode> todos) {
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
        for (LocalStore store : open) {
            store.close();
        }
        proxy.close();
        server.close();
    }
}
