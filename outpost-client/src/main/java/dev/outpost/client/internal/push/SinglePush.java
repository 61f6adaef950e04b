package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.http.HttpAnswer;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.protocol.sync.OperationKind;
import java.util.List;

/**
 * Pushes one operation per v2/v3 request, as the official clients do: POST; PATCH (v2) or PUT (v3) with
 * {@code If-Match}; DELETE with {@code If-Match}. A 409 that does not carry the server's record (the official Node
 * server echoes the request) is followed by a read of the record. An answer about the request as a whole, not the
 * record, stops the push ({@link #isVerdictOnTheRecord}). Thread-safe.
 */
final class SinglePush implements Transport {
    private final TableApi api;

    SinglePush(TableApi api) {
        this.api = api;
    }

    @Override
    public int batchSize() {
        return 1;
    }

    @Override
    public List<Verdict> send(List<SentOperation> operations) {
        return List.of(sendOne(operations.get(0)));
    }

    private Verdict sendOne(SentOperation sent) {
        Operation op = sent.operation();
        String what = op.kind().wireName() + " of " + op.table() + "/" + op.itemId();
        api.settleDialect(op.table());
        HttpAnswer answer;
        if (op.kind() == OperationKind.INSERT) {
            answer = api.insert(op.table(), Records.insertBody(sent.payload()));
        } else if (op.kind() == OperationKind.UPDATE) {
            answer = api.update(op.table(), op.itemId(), Records.updateBody(sent.payload()), op.baseVersion());
        } else {
            answer = api.delete(op.table(), op.itemId(), op.baseVersion());
        }
        int status = answer.status();
        if (answer.isSuccessful() && !answer.notJson()) {
            ObjectNode record = op.kind() == OperationKind.DELETE ? null : answer.record();
            return Verdict.of(Verdict.Kind.APPLIED, status, record);
        }
        if (isVerdictOnTheRecord(op, answer)) {
            return switch (status) {
                // An id taken by a record the caller may not see (a per-user table): nothing to merge with.
                case 409, 412 -> "idTaken".equals(answer.error().code()) ? Verdict.rejected(status, answer.error())
                        : Verdict.of(Verdict.Kind.CONFLICT, status, serverRecord(op, answer));
                case 404 -> Verdict.of(Verdict.Kind.NOT_FOUND, status, null);
                case 410 -> Verdict.of(Verdict.Kind.GONE, status, serverRecord(op, answer));
                default -> Verdict.rejected(status, answer.error());
            };
        }
        // About the request as a whole: the push stops and the operation stays queued.
        throw TableApi.failure(what, answer);
    }

    /**
     * Whether an error answer is a verdict on the operation's record (it parks the operation, or goes to the
     * conflict handler), rather than about the request as a whole (which stops the push): 409, 412, 410; 404 for an
     * update or delete (a record the server does not have), unless it says the table is unknown; 400, 403, 413 and
     * 422 about the record's content, with a JSON body, unless it refuses the protocol's version. Everything else
     * (401, 405, 5xx, 408, 429, an answer that is not JSON, …) is about the request.
     */
    static boolean isVerdictOnTheRecord(Operation op, HttpAnswer answer) {
        if (answer.notJson()) {
            return false;
        }
        return switch (answer.status()) {
            case 409, 410, 412 -> true;
            case 404 -> op.kind() != OperationKind.INSERT && !"unknownTable".equals(answer.error().code());
            case 400 -> answer.body() != null && !answer.isVersionRefusal();
            case 403, 413, 422 -> answer.body() != null;
            default -> false;
        };
    }

    /** The server's record from a conflict answer, read back when the answer is not a stored record. */
    private ObjectNode serverRecord(Operation op, HttpAnswer answer) {
        ObjectNode record = answer.record();
        if (record != null && Records.version(record) != null && Records.id(record) != null) {
            return record;
        }
        HttpAnswer read = api.read(op.table(), op.itemId(), true);
        return read.isSuccessful() ? read.record() : null;
    }
}
