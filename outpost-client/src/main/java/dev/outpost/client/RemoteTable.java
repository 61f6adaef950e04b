package dev.outpost.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.RecordConflictException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.internal.Ids;
import dev.outpost.client.internal.http.HttpAnswer;
import dev.outpost.client.internal.http.QueryPage;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.RecordMapper;
import dev.outpost.client.internal.json.Records;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A table on the server, used online: every call is one HTTP request. Records are JSON objects or an app type
 * (see {@link OutpostClient#getTable(String, Class)}).
 *
 * <p>Failures: {@link NetworkException} when the server cannot be reached (it may have applied a write),
 * {@link RecordConflictException} for 409/412, {@link AuthenticationException} for 401, and
 * {@link ServerResponseException} for any other error status. Thread-safe.
 *
 * @param <T> the record type
 */
public final class RemoteTable<T> {
    private final TableApi api;
    private final String name;
    private final RecordMapper<T> mapper;

    RemoteTable(TableApi api, String name, RecordMapper<T> mapper) {
        this.api = api;
        this.name = Objects.requireNonNull(name, "name");
        this.mapper = mapper;
    }

    /** The table's name. */
    public String name() {
        return name;
    }

    /**
     * Inserts a record (a new UUID id when it has none) and returns it as the server stored it.
     *
     * @throws RecordConflictException if a record with its id exists
     */
    public T insert(T item) {
        ObjectNode record = mapper.toJson(item);
        if (Records.id(record) == null) {
            record.put(SystemColumns.ID, Ids.next());
        }
        api.settleDialect(name);
        HttpAnswer answer = api.insert(name, Records.insertBody(record));
        return mapper.fromJson(check("insert into " + name, answer));
    }

    /**
     * Updates a record (PATCH in v2, PUT in v3), conditional on its {@code version} when it has one, and returns it
     * as the server stored it.
     *
     * @throws IllegalArgumentException if the record has no id
     * @throws RecordConflictException  if the version does not match the server's
     */
    public T update(T item) {
        ObjectNode record = mapper.toJson(item);
        String id = requireId(record);
        api.settleDialect(name);
        HttpAnswer answer = api.update(name, id, Records.updateBody(record), Records.version(record));
        return mapper.fromJson(check("update of " + name + "/" + id, answer));
    }

    /**
     * Deletes a record, conditional on its {@code version} when it has one.
     *
     * @throws IllegalArgumentException if the record has no id
     * @throws RecordConflictException  if the version does not match the server's
     */
    public void delete(T item) {
        ObjectNode record = mapper.toJson(item);
        String id = requireId(record);
        api.settleDialect(name);
        HttpAnswer answer = api.delete(name, id, Records.version(record));
        if (answer.status() != 204) {
            check("delete of " + name + "/" + id, answer);
        }
    }

    /** Deletes the record {@code id} unconditionally. */
    public void deleteById(String id) {
        api.settleDialect(name);
        HttpAnswer answer = api.delete(name, Objects.requireNonNull(id, "id"), null);
        if (answer.status() != 204) {
            check("delete of " + name + "/" + id, answer);
        }
    }

    /** The record {@code id}, or empty when the server has none (404) or only a tombstone (410). */
    public Optional<T> lookup(String id) {
        api.settleDialect(name);
        HttpAnswer answer = api.read(name, Objects.requireNonNull(id, "id"), false);
        if (answer.status() == 404 || answer.status() == 410) {
            return Optional.empty();
        }
        return Optional.of(mapper.fromJson(check("read of " + name + "/" + id, answer)));
    }

    /** A query on this table; {@link TableQuery#list()} sends it. */
    public TableQuery<T> query() {
        return TableQuery.over(this::run);
    }

    private QueryResult<T> run(Query query) {
        api.settleDialect(name);
        QueryPage page = api.query(name, query.toParameters(api.dialect()));
        List<T> items = new ArrayList<>(page.items().size());
        for (ObjectNode item : page.items()) {
            items.add(mapper.fromJson(item));
        }
        return new QueryResult<>(items, page.count());
    }

    private static String requireId(ObjectNode record) {
        String id = Records.id(record);
        if (id == null) {
            throw new IllegalArgumentException("the record has no id");
        }
        return id;
    }

    private static ObjectNode check(String what, HttpAnswer answer) {
        if (answer.status() == 409 || answer.status() == 412) {
            ObjectNode server = answer.record();
            throw new RecordConflictException(what, answer.status(), answer.error(),
                    server != null && server.has(SystemColumns.VERSION) ? server : null);
        }
        if (!answer.isSuccessful() || answer.notJson()) {
            throw TableApi.failure(what, answer);
        }
        ObjectNode record = answer.record();
        if (record == null) {
            throw new ServerResponseException(what, answer.status(),
                    dev.outpost.protocol.ErrorBody.of("noRecord", "the answer has no record"));
        }
        return record;
    }
}
