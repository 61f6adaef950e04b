package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.internal.http.HttpAnswer;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.protocol.sync.OperationKind;
import java.util.List;

/**
 * Pushes one operation per v2/v3 request, as the official clients do: POST; PATCH (v2) or PUT (v3) with
 * {@code If-Match}; DELETE with {@code If-Match}. A 409 that does not carry the server's record (the official Node
 * server echoes the request) is followed by a read of the record. Thread-safe.
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
        HttpAnswer answer;
        if (op.kind() == OperationKind.INSERT) {
            answer = api.insert(op.table(), Records.insertBody(sent.payload()));
        } else if (op.kind() == OperationKind.UPDATE) {
            answer = api.update(op.table(), op.itemId(), Records.updateBody(sent.payload()), op.baseVersion());
        } else {
            answer = api.delete(op.table(), op.itemId(), op.baseVersion());
        }
        int status = answer.status();
        if (answer.isSuccessful()) {
            ObjectNode record = op.kind() == OperationKind.DELETE ? null : answer.record();
            return Verdict.of(Verdict.Kind.APPLIED, status, record);
        }
        if (status == 401) {
            throw new AuthenticationException(op.kind().wireName() + " of " + op.table() + "/" + op.itemId(),
                    answer.error());
        }
        if (status == 409 || status == 412) {
            return Verdict.of(Verdict.Kind.CONFLICT, status, serverRecord(op, answer));
        }
        if (status == 404) {
            return Verdict.of(Verdict.Kind.NOT_FOUND, status, null);
        }
        if (status == 410) {
            return Verdict.of(Verdict.Kind.GONE, status, serverRecord(op, answer));
        }
        if (status >= 500 || status == 408 || status == 429) {
            return new Verdict(Verdict.Kind.TRANSIENT, status, null, answer.error());
        }
        return new Verdict(Verdict.Kind.REJECTED, status, null, answer.error());
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
