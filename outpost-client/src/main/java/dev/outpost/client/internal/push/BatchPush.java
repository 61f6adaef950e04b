package dev.outpost.client.internal.push;

import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.exception.UnexpectedAnswerException;
import dev.outpost.client.internal.http.PushAnswer;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.sync.OperationKind;
import dev.outpost.protocol.sync.OperationResult;
import dev.outpost.protocol.sync.PushOperation;
import dev.outpost.protocol.sync.PushRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pushes operations in batches through Outpost's native {@code POST /outpost/v1/push}, which applies them in order
 * in one transaction and is idempotent by operation id, so a batch whose answer was lost is simply sent again.
 * A batch refused as a whole for its size (400/413) is split in halves. Thread-safe.
 */
final class BatchPush implements Transport {
    static final int BATCH_SIZE = 500;

    private final TableApi api;

    BatchPush(TableApi api) {
        this.api = api;
    }

    @Override
    public int batchSize() {
        return BATCH_SIZE;
    }

    @Override
    public Call call(List<SentOperation> operations) {
        return call(operations, -1);
    }

    @Override
    public Call call(List<SentOperation> operations, long queueDepth) {
        byte[] body = write(operations);
        return () -> send(operations, body, queueDepth);
    }

    @Override
    public List<Verdict> send(List<SentOperation> operations) {
        return send(operations, write(operations), -1);
    }

    /** Sends a batch; {@code queueDepth} (or -1 for none) goes in {@code X-Outpost-Queue-Depth}. */
    private List<Verdict> send(List<SentOperation> operations, byte[] body, long queueDepth) {
        PushAnswer answer = api.nativePush(body, queueDepth);
        if (answer instanceof PushAnswer.Refused refused) {
            if (operations.size() > 1) {
                // Refused as a whole (too many operations, too large): send it in halves.
                int half = operations.size() / 2;
                List<SentOperation> first = operations.subList(0, half);
                List<SentOperation> second = operations.subList(half, operations.size());
                List<Verdict> verdicts = new ArrayList<>(send(first, write(first), queueDepth));
                verdicts.addAll(send(second, write(second), queueDepth));
                return verdicts;
            }
            // A batch of one refused as a whole is malformed or too large for the server: the push stops.
            throw new ServerResponseException("POST /outpost/v1/push", refused.status(), refused.error());
        }
        Map<String, OperationResult> results = new HashMap<>();
        for (OperationResult result : ((PushAnswer.Results) answer).response().results()) {
            results.put(result.id(), result);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (SentOperation sent : operations) {
            verdicts.add(verdict(results.get(sent.operation().id())));
        }
        return verdicts;
    }

    /** The batch as a native push request, written straight to bytes (items without their system properties). */
    static byte[] write(List<SentOperation> operations) {
        List<PushOperation> wire = new ArrayList<>(operations.size());
        for (SentOperation sent : operations) {
            Operation op = sent.operation();
            wire.add(new PushOperation(op.id(), op.table(), op.kind(),
                    op.itemId(), op.baseVersion(), op.kind() == OperationKind.DELETE ? null : sent.payload()));
        }
        return new PushRequest(wire).toBytes();
    }

    private static Verdict verdict(OperationResult result) {
        if (result == null) {
            return Verdict.stop(new UnexpectedAnswerException("POST /outpost/v1/push", 200,
                    ErrorBody.of("missingResult", "the server's answer has no result for this operation")));
        }
        int status = result.httpStatus() == null ? 200 : result.httpStatus();
        return switch (result.status()) {
            case APPLIED -> Verdict.of(Verdict.Kind.APPLIED, 200, result.item());
            case ALREADY_APPLIED -> Verdict.of(Verdict.Kind.ALREADY_APPLIED, 200, result.item());
            case CONFLICT -> Verdict.of(Verdict.Kind.CONFLICT, status, result.item());
            case GONE -> Verdict.of(Verdict.Kind.GONE, 410, result.item());
            case NOT_FOUND -> Verdict.of(Verdict.Kind.NOT_FOUND, 404, null);
            // About the table, not the record: the operation stays queued and the push stops.
            case REJECTED -> "unknownTable".equals(result.error().code())
                    ? Verdict.stop(new ServerResponseException("POST /outpost/v1/push", status, result.error()))
                    // About who is asking (no sign-in where the table needs one): the push stops too.
                    : status == 401 ? Verdict.stop(new AuthenticationException("POST /outpost/v1/push",
                            result.error()))
                    : Verdict.rejected(result.httpStatus() == null ? 400 : status, result.error());
        };
    }
}
