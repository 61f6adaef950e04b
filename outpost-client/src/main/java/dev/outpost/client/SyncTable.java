package dev.outpost.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.OperationRejectedException;
import dev.outpost.client.exception.RecordNotFoundException;
import dev.outpost.client.internal.json.RecordMapper;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.sync.StoreSync;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PurgeResult;
import dev.outpost.protocol.query.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A table used offline: reads and writes go to the local store and work with no network; writes are queued for
 * {@link SyncContext#push()}; {@link #pull} brings the server's changes in.
 *
 * <p>Every write changes the local record and the operation queue in one transaction. A write that cannot be
 * queued after what is queued already (anything after a delete, a second insert) throws
 * {@link OperationRejectedException} and writes nothing. Thread-safe.
 *
 * @param <T> the record type: {@link ObjectNode}, or an app class or record
 */
public final class SyncTable<T> {
    private final StoreSync sync;
    private final String name;
    private final RecordMapper<T> mapper;

    SyncTable(StoreSync sync, String name, RecordMapper<T> mapper) {
        this.sync = sync;
        this.name = name;
        this.mapper = mapper;
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /**
     * Inserts a record locally and queues the insert; returns it as stored (with a new UUID {@code id} when it had
     * none). System properties ({@code version}, {@code updatedAt}, …) are set by the server, not here.
     *
     * @throws OperationRejectedException if the id exists locally or an operation for it is queued
     * @throws IllegalArgumentException   if the id is not valid for every protocol, or a value does not fit its column
     */
    public T insert(T item) {
        return mapper.fromJson(sync.writes().insert(name, mapper.toJson(Objects.requireNonNull(item, "item"))));
    }

    /**
     * Replaces a local record's properties (its system properties are kept) and queues the update; returns it. On a
     * table of an app type, the stored properties the type does not declare (say, columns another app version or the
     * server added) are kept; on a table of JSON records, the given record replaces them all.
     *
     * @throws IllegalArgumentException   if the record has no id
     * @throws RecordNotFoundException    if there is no such local record
     * @throws OperationRejectedException if a delete of it is queued
     */
    public T update(T item) {
        return mapper.fromJson(sync.writes().update(name, mapper.toJson(Objects.requireNonNull(item, "item")),
                mapper));
    }

    /**
     * Deletes a local record and queues the delete.
     *
     * @throws IllegalArgumentException   if the record has no id
     * @throws RecordNotFoundException    if there is no such local record
     * @throws OperationRejectedException if a delete of it is already queued
     */
    public void delete(T item) {
        String id = Records.id(mapper.toJson(Objects.requireNonNull(item, "item")));
        if (id == null) {
            throw new IllegalArgumentException("cannot delete a record without an id from table '" + name + "'");
        }
        deleteById(id);
    }

    /**
     * Deletes the local record {@code id} and queues the delete.
     *
     * @throws RecordNotFoundException    if there is no such local record
     * @throws OperationRejectedException if a delete of it is already queued
     */
    public void deleteById(String id) {
        sync.writes().delete(name, Objects.requireNonNull(id, "id"));
    }

    /** The local record {@code id}, if there is one. */
    public Optional<T> lookup(String id) {
        return sync.store().lookup(name, Objects.requireNonNull(id, "id")).map(mapper::fromJson);
    }

    /**
     * A query of the local records, with the same builder and semantics as a remote query: its {@code list()} gives
     * the answer the server would give for the same records, or throws
     * {@link dev.outpost.protocol.query.InvalidQueryException} for a query the server would refuse and for one that
     * filters or sorts on a property the local table does not define as a column (define it with
     * {@link SyncContext#defineTable}, with the server's type, to query it). A local query has no pages: it returns
     * every match up to {@code top}. The local table keeps no deleted records, so {@code includeDeleted} changes
     * nothing; custom parameters are ignored.
     */
    public TableQuery<T> query() {
        return TableQuery.over(this::run);
    }

    private QueryResult<T> run(Query query) {
        return sync.store().inTransaction(tx -> {
            List<T> items = new ArrayList<>();
            for (ObjectNode row : tx.query(name, query)) {
                items.add(mapper.fromJson(row));
            }
            OptionalLong count = query.includeTotalCount() ? OptionalLong.of(tx.count(name, query.filter()))
                    : OptionalLong.empty();
            return new QueryResult<>(items, count);
        });
    }

    /**
     * Pulls the server's records matching {@code query}'s filter into the local table (its order, paging and
     * projection are not used). With a {@code queryId}, the pull is incremental: it starts where the last pull with
     * that id ended and saves where it ended, page by page; a pull that fails midway resumes after its last stored
     * page. Without one ({@code null}), it pulls every matching record. When the table has pending operations, they
     * are pushed first (the whole queue, FIFO). Records with operations still pending (parked ones) are not
     * overwritten.
     *
     * @throws NetworkException                                         if the server cannot be reached; pages stored so
     *                                                                  far stay
     * @throws dev.outpost.client.exception.ServerResponseException if the server refused a request as a whole (401,
     *     a failure of the server, an unknown table, an answer that is not the protocol's)
     */
    public PullResult pull(Query query, String queryId) {
        return sync.pull(name, Objects.requireNonNull(query, "query"), queryId);
    }

    /** {@link #pull(Query, String)} of a query built with {@link #query()}. */
    public PullResult pull(TableQuery<T> query, String queryId) {
        return pull(query.toQuery(), queryId);
    }

    /** An incremental pull of the whole table under {@code queryId}. */
    public PullResult pull(String queryId) {
        return pull(Query.all(), queryId);
    }

    /**
     * Removes the local records matching {@code query}'s filter and resets the table's pull cursors, so that the
     * next incremental pull starts over.
     *
     * @param force also drop the table's pending operations (their changes are lost); without it, a table with
     *              pending operations is not purged
     * @throws IllegalStateException if the table has pending operations and {@code force} is false
     */
    public PurgeResult purge(Query query, boolean force) {
        return sync.purge(name, Objects.requireNonNull(query, "query"), force);
    }
}
