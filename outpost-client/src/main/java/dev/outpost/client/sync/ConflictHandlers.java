package dev.outpost.client.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.JsonValues;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.sync.OperationKind;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/** The stock {@link ConflictHandler}s. Each is stateless and thread-safe. */
public final class ConflictHandlers {
    private ConflictHandlers() {
    }

    /** The server's record wins: every conflict is resolved with {@link ConflictResolution#takeServer()}. */
    public static ConflictHandler serverWins() {
        return conflict -> ConflictResolution.takeServer();
    }

    /** The client's change wins: every conflict is resolved with {@link ConflictResolution#keepClient()}. */
    public static ConflictHandler clientWins() {
        return conflict -> ConflictResolution.keepClient();
    }

    /** Every conflict is parked, to be resolved later through {@link dev.outpost.client.SyncContext#resolve}. */
    public static ConflictHandler park() {
        return conflict -> ConflictResolution.park();
    }

    /** {@link #threeWayMerge(ConflictHandler)} that parks what it cannot merge. */
    public static ConflictHandler threeWayMerge() {
        return threeWayMerge(park());
    }

    /**
     * A field-level three-way merge of updates: starting from the server's record, every property the client
     * changed (compared with the record as it was when the change was queued) takes the client's value. When both
     * sides changed the same property to different values, or the conflict is not an update of a live record on
     * both sides, {@code otherwise} decides.
     */
    public static ConflictHandler threeWayMerge(ConflictHandler otherwise) {
        Objects.requireNonNull(otherwise, "otherwise");
        return conflict -> {
            ObjectNode client = conflict.clientRecord();
            ObjectNode server = conflict.serverRecord();
            ObjectNode base = conflict.baseRecord();
            if (conflict.kind() != OperationKind.UPDATE || client == null || server == null || base == null
                    || server.path(SystemColumns.DELETED).asBoolean(false)) {
                return otherwise.resolve(conflict);
            }
            ObjectNode merged = server.deepCopy();
            Set<String> names = new LinkedHashSet<>();
            client.fieldNames().forEachRemaining(names::add);
            base.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                if (SystemColumns.isSystem(name)) {
                    continue;
                }
                JsonNode mine = client.get(name);
                JsonNode theirs = server.get(name);
                JsonNode original = base.get(name);
                boolean clientChanged = !JsonValues.same(mine, original);
                boolean serverChanged = !JsonValues.same(theirs, original);
                if (clientChanged && serverChanged && !JsonValues.same(mine, theirs)) {
                    return otherwise.resolve(conflict);
                }
                if (clientChanged) {
                    if (mine == null) {
                        merged.remove(name);
                    } else {
                        merged.set(name, mine);
                    }
                }
            }
            return ConflictResolution.merge(merged);
        };
    }
}
