package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.sync.InvalidMessageException;
import dev.outpost.protocol.sync.OperationKind;
import dev.outpost.protocol.sync.OperationResult;
import dev.outpost.protocol.sync.PushOperation;
import dev.outpost.protocol.sync.PushRequest;
import dev.outpost.protocol.sync.PushResponse;
import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.AccessDeniedException;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.auth.TableAccess;
import dev.outpost.server.internal.metrics.ServerMetrics;
import dev.outpost.server.internal.store.BatchPush;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.InvalidRecordException;
import dev.outpost.server.internal.table.ParsedRecord;
import dev.outpost.server.internal.table.RecordParser;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownTableException;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /outpost/v1/push}: the native batch push. Checks the whole request first (a malformed one is a 400
 * and applies nothing; a bad sign-in token a 401), then checks each operation against its table's access rules and
 * prepares it (refusing those individually), applies the rest in
 * order in one transaction ({@link BatchPush}) and answers one result per operation.
 */
final class BatchHandler implements Handler {
    private static final Pattern OPERATION_ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

    private final TableServices services;
    private final BatchPush batchPush;

    BatchHandler(TableServices services, BatchPush batchPush) {
        this.services = services;
        this.batchPush = batchPush;
    }

    @Override
    public void handle(Context ctx) {
        AccessControl access = services.settings().access();
        Caller caller = TableRoutes.caller(ctx, access);
        List<PushOperation> operations = read(ctx).operations();
        // First each operation's record and table are checked and prepared (the dynamic schema may grow), then the
        // writes are made against the schemas as they are at the end; a refusal answers for its operation alone.
        OperationResult[] results = new OperationResult[operations.size()];
        ParsedOperation[] parsed = new ParsedOperation[operations.size()];
        for (int i = 0; i < operations.size(); i++) {
            try {
                PushOperation operation = operations.get(i);
                access.of(operation.table()).check(caller, operation(operation.kind()), operation.table());
                parsed[i] = prepare(operation, caller);
            } catch (AccessDeniedException e) {
                if (e.status() == 401) {
                    // No sign-in where a table needs one is about the request: refuse it whole, apply nothing.
                    throw e;
                }
                results[i] = rejection(operations.get(i), e);
            } catch (RuntimeException e) {
                results[i] = rejection(operations.get(i), e);
            }
        }
        List<BatchPush.Write> writes = new ArrayList<>();
        List<Integer> written = new ArrayList<>();
        for (int i = 0; i < operations.size(); i++) {
            if (parsed[i] != null) {
                try {
                    writes.add(parsed[i].toWrite(services, caller));
                    written.add(i);
                } catch (RuntimeException e) {
                    results[i] = rejection(operations.get(i), e);
                }
            }
        }
        List<BatchPush.Outcome> outcomes = writes.isEmpty() ? List.of() : batchPush.apply(writes, caller.userId());
        for (int k = 0; k < outcomes.size(); k++) {
            int i = written.get(k);
            results[i] = result(operations.get(i).id(), outcomes.get(k));
            count(ctx, writes.get(k), outcomes.get(k).status());
        }
        services.telemetry().metrics().batch(operations.size());
        ctx.status(200).contentType("application/json").result(new PushResponse(List.of(results)).toBytes());
    }

    /** Counts an applied write as a pushed record, a conflict as its kind. */
    private void count(Context ctx, BatchPush.Write write, BatchPush.Status status) {
        Telemetry telemetry = services.telemetry();
        switch (status) {
            case APPLIED -> telemetry.pushed(write.schema() == null ? "" : write.schema().name(), 1);
            case VERSION_CONFLICT -> telemetry.conflict(ctx, ServerMetrics.Conflict.VERSION);
            case DUPLICATE_ID -> telemetry.conflict(ctx, ServerMetrics.Conflict.DUPLICATE);
            case GONE -> telemetry.conflict(ctx, ServerMetrics.Conflict.GONE);
            default -> {
            }
        }
    }

    private static TableAccess.Operation operation(OperationKind kind) {
        return switch (kind) {
            case INSERT -> TableAccess.Operation.INSERT;
            case UPDATE -> TableAccess.Operation.UPDATE;
            case DELETE -> TableAccess.Operation.DELETE;
        };
    }

    /** The request, in the native format and within this server's limits; a 400 (or 413) applies nothing. */
    private PushRequest read(Context ctx) {
        PushRequest request;
        try {
            request = PushRequest.of(RequestLimits.readJson(ctx, services.settings().maxBatchBody()));
        } catch (InvalidMessageException e) {
            throw malformed(e.getMessage());
        }
        int max = services.settings().maxBatchOperations();
        if (request.operations().size() > max) {
            throw new InvalidRequestException(400, "tooManyOperations", "a batch holds at most " + max
                    + " operations, not " + request.operations().size());
        }
        for (int i = 0; i < request.operations().size(); i++) {
            if (!OPERATION_ID.matcher(request.operations().get(i).id()).matches()) {
                throw malformed("operation " + i + " has an invalid id (1-128 characters of A-Z a-z 0-9 _ . : -)");
            }
        }
        return request;
    }

    private static InvalidRequestException malformed(String message) {
        return new InvalidRequestException(400, "invalidBatch", message);
    }

    /** An operation that passed the record rules, with its table prepared (created or grown when dynamic). */
    private record ParsedOperation(PushOperation operation, String table, ParsedRecord record) {
        BatchPush.Write toWrite(TableServices services, Caller caller) {
            TableSchema schema = table == null ? null : services.registry().require(table);
            return new BatchPush.Write(operation.id(), schema, operation.kind(), operation.itemId(),
                    operation.version(), record == null || schema == null ? Map.of()
                    : TableRegistry.values(schema, record),
                    schema == null ? RowScope.ALL : services.settings().rows().scope(caller, schema));
        }
    }

    /**
     * Checks an operation's record and prepares its table (created or grown when dynamic).
     *
     * @throws RuntimeException the refusal of the operation
     */
    private ParsedOperation prepare(PushOperation operation, Caller caller) {
        RecordParser.requireValidId(operation.itemId());
        ParsedRecord record = null;
        if (operation.item() != null && operation.kind() != OperationKind.DELETE) {
            ObjectNode item = operation.item();
            if (operation.kind() == OperationKind.INSERT) {
                item = services.stamped(item, caller, operation.table());
            }
            record = RecordParser.parse(item, ProtocolVersion.V3);
            if (record.id() != null && !record.id().equals(operation.itemId())) {
                throw new InvalidRecordException("idMismatch", "id", "item.id differs from itemId");
            }
        }
        TableRegistry registry = services.registry();
        if (operation.kind() == OperationKind.INSERT) {
            TableSchema schema = registry.prepareWrite(operation.table(), record, true);
            return new ParsedOperation(operation, schema.name(), record);
        }
        TableSchema existing = registry.find(operation.table());
        if (existing == null) {
            if (!registry.isDynamic()) {
                throw new UnknownTableException(operation.table());
            }
            return new ParsedOperation(operation, null, null);
        }
        if (record != null) {
            existing = registry.prepareWrite(existing.name(), record, false);
        }
        return new ParsedOperation(operation, existing.name(), record);
    }

    /** The result of an operation refused for its record or table; anything else fails the whole request. */
    private static OperationResult rejection(PushOperation operation, RuntimeException e) {
        ErrorMapper.Answer answer = ErrorMapper.answer(e, ProtocolVersion.V3, false, "POST /outpost/v1/push");
        if (!(answer instanceof ErrorMapper.Answer.Error refusal) || refusal.status() >= 500) {
            throw e;
        }
        return OperationResult.rejected(operation.id(), refusal.status(), refusal.body());
    }

    private static OperationResult result(String id, BatchPush.Outcome outcome) {
        ObjectNode item = outcome.item() instanceof ObjectNode record ? record : null;
        return switch (outcome.status()) {
            case APPLIED -> OperationResult.applied(id, item);
            case ALREADY_APPLIED -> OperationResult.alreadyApplied(id, item);
            case VERSION_CONFLICT -> OperationResult.conflict(id, 412, item);
            case DUPLICATE_ID -> item != null ? OperationResult.conflict(id, 409, item)
                    : OperationResult.rejected(id, 409, ErrorMapper.ID_TAKEN);
            case GONE -> OperationResult.gone(id, item);
            case NOT_FOUND -> OperationResult.notFound(id);
            case OUTSIDE_VIEW -> OperationResult.rejected(id, 403, ErrorMapper.OUTSIDE_VIEW);
        };
    }
}
