package dev.outpost.client.internal.push;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.internal.json.JsonValues;
import dev.outpost.client.internal.json.Records;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.sync.OperationKind;

/**
 * The server's answer to one pushed operation, the same whichever transport carried it. Immutable.
 *
 * @param kind   what happened
 * @param status the HTTP status (or the native result's {@code httpStatus})
 * @param record the record the server sent (the stored record, or its current one on a conflict), or {@code null}
 * @param error  the error body of a refusal, or {@code null}
 * @param stop   for {@link Kind#STOP}, the failure that stops the push; otherwise {@code null}
 */
record Verdict(Kind kind, int status, ObjectNode record, ErrorBody error, ServerResponseException stop) {

    enum Kind {
        /** Applied now. */
        APPLIED,
        /** Applied by an earlier attempt whose answer was lost. */
        ALREADY_APPLIED,
        /** An earlier attempt (with older content) was applied; the current content still has to be sent. */
        APPLIED_EARLIER,
        /** 409 or 412: the record changed on the server. */
        CONFLICT,
        /** 404: an update of a record the server does not have. */
        NOT_FOUND,
        /** 410: an update of a record deleted on the server. */
        GONE,
        /** The server refused the record's content (a verdict on the record: the operation is parked). */
        REJECTED,
        /**
         * The answer is about the request as a whole, not this record (an unknown table, say): the operation stays
         * queued as it was, and the push stops after storing the rest of the answer.
         */
        STOP
    }

    static Verdict of(Kind kind, int status, ObjectNode record) {
        return new Verdict(kind, status, record, null, null);
    }

    /** A refusal of the record's content, with the server's error body. */
    static Verdict rejected(int status, ErrorBody error) {
        return new Verdict(Kind.REJECTED, status, null, error, null);
    }

    /** An answer that stops the push with {@code failure}. */
    static Verdict stop(ServerResponseException failure) {
        return new Verdict(Kind.STOP, failure.status(), null, failure.error(), failure);
    }

    /** Whether storing this answer may send the operation again (so that what follows must wait for it). */
    boolean mayResend() {
        return kind == Kind.CONFLICT || kind == Kind.NOT_FOUND || kind == Kind.GONE || kind == Kind.APPLIED_EARLIER;
    }

    /**
     * This answer as what it is for {@code sent}: answers that only look like conflicts are turned into what they
     * are. A lost answer makes the re-sent operation meet its own earlier effect: an insert meets 409 with the
     * record it created, an update meets 412 with the record it wrote, a delete meets 404/410. Those were applied.
     * When the server holds what any earlier attempt sent (and the record changed here since), that attempt was
     * applied: {@link Kind#APPLIED_EARLIER}, to rebase on the server's version and send again.
     */
    Verdict recognisedFor(SentOperation sent) {
        OperationKind operation = sent.operation().kind();
        boolean serverLive = record != null && !Records.isDeleted(record);
        switch (kind) {
            case CONFLICT:
                if (operation == OperationKind.DELETE) {
                    if (!serverLive) {
                        return of(Kind.ALREADY_APPLIED, status, null);
                    }
                    // The update (or insert) this delete was collapsed from was applied, its answer lost.
                    return appliedEarlier(sent) ? of(Kind.APPLIED_EARLIER, status, record) : this;
                }
                if (serverLive && JsonValues.holdsAll(record, sent.payload())) {
                    return of(Kind.ALREADY_APPLIED, status, record);
                }
                if (serverLive && appliedEarlier(sent)) {
                    return of(Kind.APPLIED_EARLIER, status, record);
                }
                return this;
            case NOT_FOUND:
            case GONE:
                return operation == OperationKind.DELETE ? of(Kind.ALREADY_APPLIED, status, null) : this;
            default:
                return this;
        }
    }

    /** Whether the server's record holds what one of {@code sent}'s earlier attempts sent. */
    private boolean appliedEarlier(SentOperation sent) {
        return sent.previouslySent().stream().anyMatch(earlier -> JsonValues.holdsAll(record, earlier));
    }
}
