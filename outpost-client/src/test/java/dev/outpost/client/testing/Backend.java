package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** A server the sync tests run against, with a back door to read and write its records directly. */
public interface Backend extends AutoCloseable {
    /** The server's base URL (not through any proxy). */
    String url();

    /** The port. */
    int port();

    /** Writes a record as another client would (creating it, or merging the properties into it). */
    ObjectNode write(String table, ObjectNode changes);

    /** The server's record, tombstones included; {@code null} if none. */
    ObjectNode record(String table, String id);

    /** The live (not deleted) records of a table. */
    List<ObjectNode> liveRecords(String table);

    /** Every write's clock reads {@code instant} from now on ({@code null}: the system clock). */
    void freezeClock(Instant instant);

    @Override
    void close();
}
