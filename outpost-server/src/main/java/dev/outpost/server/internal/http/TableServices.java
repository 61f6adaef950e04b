package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.sql.FilterTranslator;
import dev.outpost.server.internal.store.GroupCommitter;
import dev.outpost.server.internal.store.RecordNotFoundException;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.store.TableRepository;
import dev.outpost.server.internal.table.InvalidRecordException;
import dev.outpost.server.internal.table.ParsedRecord;
import dev.outpost.server.internal.table.RecordParser;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import java.util.Map;

/**
 * What the table handlers share: configuration, schemas, repository, group commit, filter translation and the
 * common request steps. Immutable and thread-safe.
 */
record TableServices(RequestSettings settings, TableRegistry registry, TableRepository repository,
                     GroupCommitter committer, FilterTranslator translator, FilterParser parser,
                     ProtocolNegotiator negotiator, Telemetry telemetry) {

    /** The table of a write to an existing record: a missing one is "not found" with the dynamic schema. */
    TableSchema existingTable(String name) {
        TableSchema schema = registry.find(name);
        if (schema == null) {
            if (registry.isDynamic()) {
                throw new RecordNotFoundException();
            }
            throw new UnknownTableException(name);
        }
        return schema;
    }

    /** The id path parameter, checked against the id rules. */
    static String pathId(Context ctx) {
        String id = ctx.pathParam("id");
        RecordParser.requireValidId(id);
        return id;
    }

    /** Checks that a body's id (if any) equals the URL's. */
    static void requireSameId(String urlId, ParsedRecord record) {
        if (record.id() != null && !record.id().equals(urlId)) {
            throw new InvalidRecordException("idMismatch", "id", "The item ID and querystring ID did not match");
        }
    }

    /** The version precondition: {@code If-Match} (quoted, unquoted or {@code *}), else the body's version. */
    static String precondition(Context ctx, ParsedRecord record) {
        String header = ETags.parse(ctx.header("If-Match"));
        if (header != null) {
            return header;
        }
        return record == null ? null : record.version();
    }

    /** Reads the body as a record under the protocol's rules. */
    ParsedRecord readRecord(Context ctx, ProtocolVersion version) {
        ObjectNode body = RequestLimits.readObject(ctx, settings.maxBody());
        return RecordParser.parse(body, version);
    }

    /**
     * Reads the body of an insert into {@code table} as a record under the protocol's rules, with the values the
     * table's row rule takes from the caller's claims (the owner column of a per-user table) in place of the
     * client's.
     */
    ParsedRecord readInsert(Context ctx, ProtocolVersion version, String table) {
        ObjectNode body = RequestLimits.readObject(ctx, settings.maxBody());
        return RecordParser.parse(stamped(body, caller(ctx), table), version);
    }

    /** {@code record} with the values the row rule of {@code table} takes from {@code caller}'s claims. */
    ObjectNode stamped(ObjectNode record, Caller caller, String table) {
        Map<String, Object> stamps = settings.rows().stamps(caller, table, !registry.isDynamic());
        if (stamps.isEmpty()) {
            return record;
        }
        ObjectNode copy = record.deepCopy();
        for (Map.Entry<String, Object> stamp : stamps.entrySet()) {
            copy.properties().removeIf(field -> field.getKey().equalsIgnoreCase(stamp.getKey()));
            copy.set(stamp.getKey(), RequestLimits.JSON.valueToTree(stamp.getValue()));
        }
        return copy;
    }

    /** The request's caller. */
    Caller caller(Context ctx) {
        return TableRoutes.caller(ctx, settings.access());
    }

    /** The rows of {@code schema} the request's caller may see and change. */
    RowScope scope(Context ctx, TableSchema schema) {
        return settings.rows().scope(caller(ctx), schema);
    }
}
