package dev.outpost.client.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What to do about a {@link Conflict}: the answer of a {@link ConflictHandler}, or given to
 * {@link dev.outpost.client.SyncContext#resolve} for a parked operation.
 */
public sealed interface ConflictResolution {

    /** Take the server's record: the local record becomes the server's and the queued change is dropped. */
    static ConflictResolution takeServer() {
        return TakeServer.INSTANCE;
    }

    /** Keep the client's change: send it again, based on the server's current version. */
    static ConflictResolution keepClient() {
        return KeepClient.INSTANCE;
    }

    /** Replace the local record with {@code merged} and send it, based on the server's current version. */
    static ConflictResolution merge(ObjectNode merged) {
        return new Merge(merged);
    }

    /** Drop the queued change and the local record; the next pull brings the server's record back. */
    static ConflictResolution discard() {
        return Discard.INSTANCE;
    }

    /** Leave it for later: the operation is parked and the rest of the queue goes on. */
    static ConflictResolution park() {
        return Park.INSTANCE;
    }

    /** See {@link #takeServer()}. */
    final class TakeServer implements ConflictResolution {
        static final TakeServer INSTANCE = new TakeServer();

        private TakeServer() {
        }

        @Override
        public String toString() {
            return "TakeServer";
        }
    }

    /** See {@link #keepClient()}. */
    final class KeepClient implements ConflictResolution {
        static final KeepClient INSTANCE = new KeepClient();

        private KeepClient() {
        }

        @Override
        public String toString() {
            return "KeepClient";
        }
    }

    /**
     * See {@link #merge(ObjectNode)}.
     *
     * @param record the merged record (its {@code id} must be the conflicting record's)
     */
    record Merge(ObjectNode record) implements ConflictResolution {
        /** A merge resolution; the record is copied. */
        public Merge {
            Objects.requireNonNull(record, "record");
            record = record.deepCopy();
        }

        /** A copy of the merged record. */
        @Override
        public ObjectNode record() {
            return record.deepCopy();
        }
    }

    /** See {@link #discard()}. */
    final class Discard implements ConflictResolution {
        static final Discard INSTANCE = new Discard();

        private Discard() {
        }

        @Override
        public String toString() {
            return "Discard";
        }
    }

    /** See {@link #park()}. */
    final class Park implements ConflictResolution {
        static final Park INSTANCE = new Park();

        private Park() {
        }

        @Override
        public String toString() {
            return "Park";
        }
    }
}
