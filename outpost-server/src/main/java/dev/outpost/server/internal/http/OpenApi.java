package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.TableAccess;
import dev.outpost.server.internal.auth.TableAccess.Operation;
import dev.outpost.server.internal.auth.TableAccess.Rule;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.TableRegistry;
import dev.outpost.server.internal.table.TableSchema;
import io.javalin.http.Context;
import io.javalin.http.Handler;

/**
 * {@code GET /openapi.json}: an OpenAPI 3.1 description of this server as configured, made from the live registry on
 * each request, so that tables the dynamic schema creates appear as they do. It has, for each table, the table routes
 * with the table's record schema (typed columns and the system properties); on the dynamic schema also the generic
 * {@code /tables/{table}} routes (records with any further properties); the native endpoints, {@code /health}, the
 * tables overview, and sign-in where the server has it. Security requirements follow each operation's access rule
 * ({@code role:NAME} as the role list of the bearer scheme).
 *
 * <p>Public, as the Datasync toolkit's: it tells the shapes of the API (table and column names, access rules), never
 * row rules or data. Thread-safe.
 */
final class OpenApi implements Handler {
    private static final String ID_PATTERN = "^[a-zA-Z0-9][a-zA-Z0-9_.|:-]{0,126}$";
    private static final String TABLE_PATTERN = "^[A-Za-z][A-Za-z0-9_]{0,63}$";
    private static final String BEARER = "bearer";
    private static final String ZUMO_AUTH = "zumoAuth";

    private final TableRegistry registry;
    private final RequestSettings settings;
    private final String serverVersion;

    OpenApi(TableRegistry registry, RequestSettings settings, String serverVersion) {
        this.registry = registry;
        this.settings = settings;
        this.serverVersion = serverVersion;
    }

    @Override
    public void handle(Context ctx) throws JsonProcessingException {
        ctx.status(200).contentType("application/json").result(RequestLimits.JSON.writeValueAsBytes(document()));
    }

    /** The document, as the server is configured and its tables are now. */
    ObjectNode document() {
        ObjectNode doc = object();
        doc.put("openapi", "3.1.0");
        doc.set("info", info());
        ObjectNode paths = doc.putObject("paths");
        if (registry.isDynamic()) {
            tableRoutes(paths, null);
        }
        for (TableSchema table : registry.tables()) {
            tableRoutes(paths, table);
        }
        nativeRoutes(paths);
        serverRoutes(paths);
        doc.set("components", components());
        return doc;
    }

    private ObjectNode info() {
        ObjectNode info = object();
        info.put("title", "Outpost");
        info.put("version", serverVersion);
        info.put("description", "Offline-first data sync: tables over HTTP in the Azure Mobile Apps (ZUMO-API-VERSION "
                + "2.0.x) and Datasync (3.0.x) protocols, and Outpost's native extensions under /outpost/v1/. This "
                + "server has the " + (registry.isDynamic() ? "dynamic schema: a table appears on its first insert, "
                + "a column when first seen; the generic /tables/{table} routes serve any table, and each table that "
                + "exists now is listed with its columns." : "declared schema: exactly these tables are served.")
                + (access().hasIdentity() ? " Sign-in tokens come as 'Authorization: Bearer' or X-ZUMO-AUTH." : ""));
        return info;
    }

    private AccessControl access() {
        return settings.access();
    }

    // --- the table routes ----------------------------------------------------------------------------------------

    /** The routes of {@code table}, or the generic routes of any table when {@code table} is {@code null}. */
    private void tableRoutes(ObjectNode paths, TableSchema table) {
        String name = table == null ? "{table}" : table.name();
        String suffix = table == null ? "AnyTable" : "_" + table.name();
        ObjectNode record = table == null ? ref("schemas/Record") : ref("schemas/" + recordSchemaName(table));
        TableAccess rules = table == null ? access().of("") : access().of(table.name());
        boolean rowRule = settings.rows().of(table == null ? "" : table.name(), table != null && table.declared())
                != null;
        boolean softDelete = table == null || table.softDelete();

        ObjectNode collection = paths.putObject("/tables/" + name);
        ObjectNode list = operation(collection, "get", "list" + suffix, "Query " + describe(table),
                rules.rule(Operation.READ), rowRule);
        addParameters(list, table == null, "ZumoApiVersion", "filter", "orderby", "top", "skip", "select", "count",
                "inlinecount", "includeDeleted", "ZumoOptions");
        ObjectNode page = ok(list, "200", "v2: an array of records, or {results, count} with $inlinecount=allpages; "
                + "v3: {items, count, nextLink}", listSchema(record));
        ObjectNode pageHeaders = page.putObject("headers");
        pageHeaders.set("Link", ref("headers/Link"));
        if (softDelete) {
            pageHeaders.set(OutpostHeaders.TOMBSTONE_HORIZON, ref("headers/TombstoneHorizon"));
            pageHeaders.set(OutpostHeaders.SERVER_TIME, ref("headers/ServerTime"));
        }
        errors(list, "400");

        ObjectNode insert = operation(collection, "post", "insert" + suffix, "Insert a record into " + describe(table)
                + " (a missing id gets a new UUID)", rules.rule(Operation.INSERT), rowRule);
        addParameters(insert, table == null, "ZumoApiVersion");
        insert.set("requestBody", body(record));
        ObjectNode created = ok(insert, "201", "the record as stored", record);
        created.putObject("headers").<ObjectNode>set("ETag", ref("headers/ETag")).set("Location",
                ref("headers/Location"));
        insert.withObjectProperty("responses").set("409", recordOrError("the id exists: the server's record (or, "
                + "for a record the caller may not see, an error with code idTaken)", record));
        errors(insert, "400", "413");

        ObjectNode patchByBody = operation(collection, "patch", "updateByBodyId" + suffix, "Update (merge) the "
                + "record of " + describe(table) + " whose id is in the body (v2 clients)",
                rules.rule(Operation.UPDATE), rowRule);
        updateShape(patchByBody, table == null, false, record);

        ObjectNode item = paths.putObject("/tables/" + name + "/{id}");
        ObjectNode read = operation(item, "get", "read" + suffix, "Read a record of " + describe(table),
                rules.rule(Operation.READ), rowRule);
        addParameters(read, table == null, "ZumoApiVersion", "id", "includeDeleted", "IfNoneMatch");
        ok(read, "200", "the record", record).putObject("headers").set("ETag", ref("headers/ETag"));
        read.withObjectProperty("responses").putObject("304").put("description",
                "If-None-Match names the current version");
        errors(read, "400", "404", "410");

        ObjectNode replace = operation(item, "put", "replace" + suffix, "Replace a record of " + describe(table)
                + " (v3)", rules.rule(Operation.UPDATE), rowRule);
        updateShape(replace, table == null, true, record);
        ObjectNode merge = operation(item, "patch", "update" + suffix, "Update (merge) a record of " + describe(table)
                + "; v3 {\"deleted\": false} undeletes", rules.rule(Operation.UPDATE), rowRule);
        updateShape(merge, table == null, true, record);

        ObjectNode delete = operation(item, "delete", "delete" + suffix, "Delete a record of " + describe(table)
                + (softDelete ? " (soft: a tombstone is kept)" : ""), rules.rule(Operation.DELETE), rowRule);
        addParameters(delete, table == null, "ZumoApiVersion", "id", "IfMatch");
        ok(delete, "200", "v2: the deleted record", record).putObject("headers").set("ETag", ref("headers/ETag"));
        delete.withObjectProperty("responses").putObject("204").put("description", "v3: deleted");
        delete.withObjectProperty("responses").set("412", recordAnswer("If-Match does not name the current "
                + "version: the server's record", record));
        errors(delete, "400", "404");

        ObjectNode undelete = operation(item, "post", "undelete" + suffix, "Undelete a soft-deleted record of "
                + describe(table) + " (v2)", rules.rule(Operation.UNDELETE), rowRule);
        addParameters(undelete, table == null, "ZumoApiVersion", "id", "IfMatch");
        ok(undelete, "201", "the record, no longer deleted", record).putObject("headers").set("ETag",
                ref("headers/ETag"));
        undelete.withObjectProperty("responses").set("412", recordAnswer("If-Match does not name the current "
                + "version: the server's record", record));
        errors(undelete, "400", "404");
    }

    /** PUT and PATCH: a record body under a version precondition. */
    private void updateShape(ObjectNode operation, boolean generic, boolean idInUrl, ObjectNode record) {
        if (idInUrl) {
            addParameters(operation, generic, "ZumoApiVersion", "id", "includeDeleted", "IfMatch");
        } else {
            addParameters(operation, generic, "ZumoApiVersion", "IfMatch");
        }
        operation.set("requestBody", body(record));
        ok(operation, "200", "the record as stored", record).putObject("headers").set("ETag", ref("headers/ETag"));
        ObjectNode responses = operation.withObjectProperty("responses");
        responses.set("409", recordAnswer("the version in the body is not the current one: the server's record",
                record));
        responses.set("412", recordAnswer("If-Match does not name the current version: the server's record", record));
        errors(operation, "400", "404", "410", "413");
    }

    private static String describe(TableSchema table) {
        return table == null ? "any table" : "table " + table.name();
    }

    /**
     * A new operation: its id, summary, security (from {@code rule} when the server has identity) and the answers
     * the rule can give (401 without sign-in, 403 without the role or outside the row rule, 405 when disabled).
     */
    private ObjectNode operation(ObjectNode path, String method, String id, String summary, Rule rule,
                                 boolean rowRule) {
        ObjectNode operation = path.putObject(method);
        operation.put("operationId", id);
        operation.put("summary", summary);
        operation.putObject("responses");
        if (rule != null) {
            operation.put("x-outpost-access", rule.text());
            security(operation, rule);
            boolean signIn = access().hasIdentity() || rule.kind() == Rule.Kind.AUTHENTICATED
                    || rule.kind() == Rule.Kind.ROLE || rowRule;
            if (signIn) {
                errors(operation, "401");
            }
            if (rule.kind() == Rule.Kind.ROLE || rowRule) {
                errors(operation, "403");
            }
            if (rule.kind() == Rule.Kind.DISABLED) {
                errors(operation, "405");
            }
        }
        return operation;
    }

    /** The operation's security requirement: the schemes, with the rule's role; optional for anonymous rules. */
    private void security(ObjectNode operation, Rule rule) {
        if (!access().hasIdentity() || rule.kind() == Rule.Kind.DISABLED) {
            return;
        }
        ArrayNode security = operation.putArray("security");
        if (rule.kind() == Rule.Kind.ANONYMOUS) {
            security.addObject();
        }
        for (String scheme : new String[] {BEARER, ZUMO_AUTH}) {
            ArrayNode roles = security.addObject().putArray(scheme);
            if (rule.kind() == Rule.Kind.ROLE) {
                roles.add(rule.role());
            }
        }
    }

    private static void addParameters(ObjectNode operation, boolean generic, String... names) {
        ArrayNode parameters = operation.withArrayProperty("parameters");
        if (generic && parameters.isEmpty()) {
            parameters.add(ref("parameters/table"));
        }
        for (String name : names) {
            parameters.add(ref("parameters/" + name));
        }
    }

    private static ObjectNode ok(ObjectNode operation, String status, String description, ObjectNode schema) {
        ObjectNode response = operation.withObjectProperty("responses").putObject(status);
        response.put("description", description);
        response.putObject("content").putObject("application/json").set("schema", schema);
        return response;
    }

    private static void errors(ObjectNode operation, String... statuses) {
        for (String status : statuses) {
            operation.withObjectProperty("responses").set(status, ref("responses/" + errorResponse(status)));
        }
    }

    private static String errorResponse(String status) {
        return switch (status) {
            case "400" -> "BadRequest";
            case "401" -> "Unauthorized";
            case "403" -> "Forbidden";
            case "404" -> "NotFound";
            case "405" -> "Disabled";
            case "410" -> "Gone";
            case "413" -> "TooLarge";
            default -> throw new IllegalArgumentException(status);
        };
    }

    private static ObjectNode body(ObjectNode record) {
        ObjectNode body = object();
        body.put("required", true);
        body.putObject("content").putObject("application/json").set("schema", record);
        return body;
    }

    private static ObjectNode recordAnswer(String description, ObjectNode record) {
        ObjectNode response = object();
        response.put("description", description);
        response.putObject("headers").set("ETag", ref("headers/ETag"));
        response.putObject("content").putObject("application/json").set("schema", record);
        return response;
    }

    private static ObjectNode recordOrError(String description, ObjectNode record) {
        ObjectNode response = recordAnswer(description, record);
        ObjectNode schema = object();
        schema.putArray("oneOf").add(record).add(ref("schemas/ErrorBody"));
        response.withObjectProperty("content").withObjectProperty("application/json").set("schema", schema);
        return response;
    }

    private static ObjectNode listSchema(ObjectNode record) {
        ObjectNode schema = object();
        ArrayNode oneOf = schema.putArray("oneOf");
        oneOf.addObject().put("type", "array").set("items", record);
        ObjectNode v2 = oneOf.addObject().put("type", "object");
        v2.putArray("required").add("results");
        v2.withObjectProperty("properties").<ObjectNode>set("results", arrayOf(record)).set("count", type("integer"));
        ObjectNode v3 = oneOf.addObject().put("type", "object");
        v3.putArray("required").add("items");
        ObjectNode v3Properties = v3.withObjectProperty("properties");
        v3Properties.set("items", arrayOf(record));
        v3Properties.set("count", type("integer"));
        v3Properties.set("nextLink", nullable("string").put("description", "the query string of the next page"));
        return schema;
    }

    // --- native, server and sign-in routes ----------------------------------------------------------------------

    private void nativeRoutes(ObjectNode paths) {
        Rule anyone = Rule.ANONYMOUS;
        ObjectNode push = operation(paths.putObject("/outpost/v1/push"), "post", "push", "Apply a batch of "
                + "operations in order, in one transaction (each checked against its table's rules)", anyone, false);
        push.set("requestBody", body(ref("schemas/PushRequest")));
        ok(push, "200", "one result per operation, in order", ref("schemas/PushResponse"));
        errors(push, "400", "413");

        Rule dynamicRead = access().of("").rule(Operation.READ);
        ObjectNode changes = operation(paths.putObject("/outpost/v1/tables/{table}/changes"), "get", "changes",
                "A keyset page of a table's changes after a cursor, tombstones included (checked against the table's"
                + " read rule)", registry.isDynamic() ? dynamicRead : anyone, false);
        ArrayNode changeParameters = changes.putArray("parameters");
        changeParameters.add(ref("parameters/table"));
        changeParameters.add(ref("parameters/filter"));
        changeParameters.add(query("cursor", "the cursor of the previous page; absent: from the beginning",
                type("string")));
        changeParameters.add(query("limit", "the page size", type("integer").put("minimum", 1)
                .put("maximum", ChangesHandler.MAX_LIMIT).put("default", 1000)));
        ok(changes, "200", "a page of changes ordered by (updatedAt, id)", ref("schemas/ChangesPage"));
        errors(changes, "400", "403", "404", "405", "410");

        ObjectNode events = operation(paths.putObject("/outpost/v1/events"), "get", "events", "Server-Sent Events "
                + "announcing which watched tables changed (ready, change, resync; a comment every 15 s)", anyone,
                false);
        ArrayNode eventParameters = events.putArray("parameters");
        eventParameters.add(query("tables", "the tables to watch, comma-separated (at most "
                + EventsHandler.MAX_TABLES + ")", type("string")).put("required", true));
        eventParameters.add(header("Last-Event-ID", "the id of the last event received, to resume",
                type("string")));
        ObjectNode stream = events.withObjectProperty("responses").putObject("200");
        stream.put("description", "the event stream, kept open: 'event: ready|change|resync', 'id: table:position,…',"
                + " 'data: {…}'");
        stream.putObject("content").putObject("text/event-stream").set("schema", type("string"));
        errors(events, "400", "403", "404", "405");

        ObjectNode overview = operation(paths.putObject("/outpost/v1/tables"), "get", "tablesOverview", "The tables "
                + "overview for operators: schema, columns, access and row rules of every table", null, false);
        overview.put("description", access().hasIdentity() ? "Needs a token with the role " + AdminGate.ROLE + "."
                : "Answered to clients on this machine only (the server has no sign-in).");
        if (access().hasIdentity()) {
            ArrayNode security = overview.putArray("security");
            security.addObject().putArray(BEARER).add(AdminGate.ROLE);
            security.addObject().putArray(ZUMO_AUTH).add(AdminGate.ROLE);
            errors(overview, "401");
        }
        ok(overview, "200", "every table the server has now", ref("schemas/TablesOverview"));
        errors(overview, "403");
    }

    private void serverRoutes(ObjectNode paths) {
        ObjectNode health = operation(paths.putObject("/health"), "get", "health", "Whether the server and its "
                + "database answer", null, false);
        ok(health, "200", "up: {\"status\": \"ok\"}", ref("schemas/Health"));
        ok(health, "503", "the database does not answer: {\"status\": \"unavailable\"}", ref("schemas/Health"));

        ObjectNode openApi = operation(paths.putObject("/openapi.json"), "get", "openApi", "This document", null,
                false);
        ok(openApi, "200", "the OpenAPI 3.1 description of this server as configured", type("object"));

        if (settings.signIn() != null) {
            ObjectNode login = operation(paths.putObject("/.auth/login/{provider}"), "post", "signIn", "Exchange an "
                    + "identity provider's token for an Outpost token, as App Service did", null, false);
            ObjectNode provider = object().put("name", "provider").put("in", "path").put("required", true);
            ArrayNode providers = provider.putObject("schema").put("type", "string").putArray("enum");
            settings.signIn().providers().forEach(providers::add);
            login.putArray("parameters").add(provider);
            login.set("requestBody", body(ref("schemas/SignInRequest")));
            ok(login, "200", "an Outpost token for the provider's user", ref("schemas/SignInResponse"));
            errors(login, "400", "401", "404");
        }
        if (access().hasIdentity()) {
            ObjectNode me = operation(paths.putObject("/.auth/me"), "get", "me", "The caller and their claims, as "
                    + "App Service gave them", null, false);
            ArrayNode security = me.putArray("security");
            security.addObject().putArray(BEARER);
            security.addObject().putArray(ZUMO_AUTH);
            ok(me, "200", "[{provider_name, user_id, user_claims: [{typ, val}]}]", arrayOf(type("object")));
            errors(me, "401");
        }
    }

    // --- components ---------------------------------------------------------------------------------------------

    private ObjectNode components() {
        ObjectNode components = object();
        ObjectNode schemas = components.putObject("schemas");
        schemas.set("ErrorBody", errorBody());
        schemas.set("Record", recordSchema(null));
        for (TableSchema table : registry.tables()) {
            schemas.set(recordSchemaName(table), recordSchema(table));
        }
        nativeSchemas(schemas);
        components.set("parameters", parameters());
        components.set("headers", headers());
        components.set("responses", responses());
        if (access().hasIdentity()) {
            ObjectNode schemes = components.putObject("securitySchemes");
            schemes.putObject(BEARER).put("type", "http").put("scheme", "bearer").put("bearerFormat", "JWT")
                    .put("description", "a sign-in token (sub: the user id; roles: the caller's roles)");
            schemes.putObject(ZUMO_AUTH).put("type", "apiKey").put("in", "header").put("name", OutpostHeaders.ZUMO_AUTH)
                    .put("description", "the same token, as the official clients send it");
        }
        return components;
    }

    /** The component name of a table's record schema (table names are letters, digits and _). */
    static String recordSchemaName(TableSchema table) {
        return "table." + table.name();
    }

    /**
     * A table's record: its columns typed (user columns may be null), the system properties ({@code createdAt} and
     * {@code updatedAt} read-only); a declared table takes no other properties, a dynamic one takes any (they become
     * columns). {@code null}: any table of the dynamic schema.
     */
    private static ObjectNode recordSchema(TableSchema table) {
        ObjectNode schema = object();
        schema.put("type", "object");
        schema.put("description", (table == null ? "a record of any table" : "a record of " + table.name())
                + ": every record read carries every column, nulls included (fewer with $select)");
        ObjectNode properties = schema.putObject("properties");
        for (Column column : table == null ? TableSchema.SYSTEM_COLUMNS : table.columns()) {
            properties.set(column.name(), column.system() ? systemProperty(column.name()) : columnSchema(column));
        }
        schema.put("additionalProperties", table == null || !table.declared());
        return schema;
    }

    private static ObjectNode columnSchema(Column column) {
        return switch (column.type()) {
            case STRING -> nullable("string");
            case BOOLEAN -> nullable("boolean");
            case INTEGER -> nullable("integer").put("format", "int64");
            case NUMBER -> nullable("number").put("format", "double");
            case DATE -> nullable("string").put("format", "date-time");
            case JSON -> object().put("description", "any JSON value");
        };
    }

    private static ObjectNode systemProperty(String name) {
        return switch (name) {
            case SystemColumns.ID -> type("string").put("pattern", ID_PATTERN)
                    .put("description", "the record's id; a new UUID when an insert has none");
            case SystemColumns.CREATED_AT, SystemColumns.UPDATED_AT -> type("string").put("format", "date-time")
                    .put("readOnly", true).put("description", "UTC with exactly three fractional digits, set by the "
                            + "server");
            case SystemColumns.VERSION -> type("string").put("description", "opaque; the ETag; in a body, a "
                    + "precondition like If-Match");
            case SystemColumns.DELETED -> type("boolean").put("description", "whether the record is a tombstone "
                    + "(set by deletes; v3 PATCH with false undeletes)");
            default -> throw new IllegalArgumentException(name);
        };
    }

    private static ObjectNode errorBody() {
        ObjectNode schema = type("object");
        schema.put("description", "every error answer: a message, a stable code (invalidQuery, unknownColumn, "
                + "notFound, unauthorized, …) and details such as table, column, parameter or position");
        schema.putArray("required").add("error").add("code");
        schema.putObject("properties").<ObjectNode>set("error", type("string")).set("code", type("string"));
        schema.put("additionalProperties", true);
        return schema;
    }

    private static void nativeSchemas(ObjectNode schemas) {
        ObjectNode operation = type("object");
        operation.putArray("required").add("id").add("table").add("kind").add("itemId");
        ObjectNode operationProperties = operation.putObject("properties");
        operationProperties.set("id", type("string").put("pattern", "^[A-Za-z0-9_.:-]{1,128}$")
                .put("description", "the client's operation id, unique per operation (makes the push idempotent)"));
        operationProperties.set("table", type("string").put("pattern", TABLE_PATTERN));
        operationProperties.set("kind", enumOf("insert", "update", "delete"));
        operationProperties.set("itemId", type("string").put("pattern", ID_PATTERN));
        operationProperties.set("version", nullable("string").put("description", "the version last seen: a "
                + "precondition for update and delete"));
        operationProperties.set("item", ref("schemas/Record"));
        ObjectNode request = type("object");
        request.putArray("required").add("operations");
        request.putObject("properties").set("operations", arrayOf(operation));
        schemas.set("PushRequest", request);

        ObjectNode result = type("object");
        result.putArray("required").add("id").add("status");
        ObjectNode resultProperties = result.putObject("properties");
        resultProperties.set("id", type("string"));
        resultProperties.set("status", enumOf("applied", "alreadyApplied", "conflict", "gone", "notFound",
                "rejected"));
        resultProperties.set("httpStatus", type("integer"));
        ObjectNode item = object();
        item.putArray("oneOf").add(ref("schemas/Record")).add(type("null"));
        resultProperties.set("item", item);
        resultProperties.set("error", ref("schemas/ErrorBody"));
        ObjectNode response = type("object");
        response.putArray("required").add("results");
        response.putObject("properties").set("results", arrayOf(result));
        schemas.set("PushResponse", response);

        ObjectNode page = type("object");
        page.putArray("required").add("items").add("cursor").add("more");
        ObjectNode pageProperties = page.putObject("properties");
        pageProperties.set("items", arrayOf(ref("schemas/Record")));
        pageProperties.set("cursor", nullable("string").put("description", "opaque: send it with the next request"));
        pageProperties.set("more", type("boolean"));
        schemas.set("ChangesPage", page);

        schemas.set("TablesOverview", tablesOverview());

        ObjectNode health = type("object");
        health.putArray("required").add("status");
        health.putObject("properties").set("status", enumOf("ok", "unavailable"));
        schemas.set("Health", health);

        ObjectNode signIn = type("object");
        signIn.putObject("properties").<ObjectNode>set("access_token", type("string"))
                .set("id_token", type("string"));
        schemas.set("SignInRequest", signIn);
        ObjectNode session = type("object");
        session.putArray("required").add("authenticationToken").add("user");
        ObjectNode user = type("object");
        user.putObject("properties").set("userId", type("string"));
        session.putObject("properties").<ObjectNode>set("authenticationToken", type("string")).set("user", user);
        schemas.set("SignInResponse", session);
    }

    private static ObjectNode tablesOverview() {
        ObjectNode column = type("object");
        column.putArray("required").add("name").add("type").add("system");
        column.putObject("properties").<ObjectNode>set("name", type("string"))
                .<ObjectNode>set("type", enumOf("string", "boolean", "integer", "number", "date", "json"))
                .set("system", type("boolean"));
        ObjectNode rule = type("string").put("pattern", "^(anonymous|authenticated|disabled|role:.+)$");
        ObjectNode access = type("object");
        ObjectNode accessProperties = access.putObject("properties");
        ArrayNode accessRequired = access.putArray("required");
        for (Operation operation : Operation.values()) {
            String name = operation.name().toLowerCase(java.util.Locale.ROOT);
            accessProperties.set(name, rule);
            accessRequired.add(name);
        }
        ObjectNode table = type("object");
        table.putArray("required").add("name").add("declared").add("softDelete").add("columns").add("access")
                .add("rows").add("perUser").add("ownerColumn");
        ObjectNode properties = table.putObject("properties");
        properties.set("name", type("string"));
        properties.set("declared", type("boolean"));
        properties.set("softDelete", type("boolean"));
        properties.set("columns", arrayOf(column));
        properties.set("access", access);
        properties.set("rows", nullable("string").put("description", "the row rule in force (perUser written out)"));
        properties.set("perUser", type("boolean"));
        properties.set("ownerColumn", nullable("string"));
        ObjectNode overview = type("object");
        overview.putArray("required").add("schema").add("tables");
        overview.putObject("properties").<ObjectNode>set("schema", enumOf("dynamic", "declared"))
                .set("tables", arrayOf(table));
        return overview;
    }

    private ObjectNode parameters() {
        ObjectNode parameters = object();
        parameters.set("table", object().put("name", "table").put("in", "path").put("required", true)
                .put("description", "the table's name (matched ignoring case)")
                .set("schema", type("string").put("pattern", TABLE_PATTERN)));
        parameters.set("id", object().put("name", "id").put("in", "path").put("required", true)
                .put("description", "the record's id").set("schema", type("string").put("pattern", ID_PATTERN)));
        ObjectNode version = header(OutpostHeaders.ZUMO_API_VERSION, "2.0.x selects the Azure Mobile Apps protocol, "
                + "3.0.x Datasync; " + (settings.strictVersion() ? "required on this server" : "missing: 3.0.x")
                + " (also accepted as a query parameter)", type("string").put("pattern", "^[23]\\.0\\.[0-9]+$"));
        version.put("required", settings.strictVersion());
        parameters.set("ZumoApiVersion", version);
        parameters.set("filter", query("$filter", "an OData filter (v2 and v3 syntax)", type("string")));
        parameters.set("orderby", query("$orderby", "comma-separated properties, each with asc or desc; id is "
                + "always the last sort key", type("string")));
        parameters.set("top", query("$top", "the most records to answer (v3: per page, at most "
                + settings.pageSizeV3() + "; v2 answers all of them)", type("integer").put("minimum", 0)
                .put("maximum", settings.maxTop())));
        parameters.set("skip", query("$skip", "records to skip", type("integer").put("minimum", 0)));
        parameters.set("select", query("$select", "comma-separated properties to answer", type("string")));
        parameters.set("count", query("$count", "v3: answer the total count", type("boolean")));
        parameters.set("inlinecount", query("$inlinecount", "v2: allpages answers {results, count}",
                enumOf("allpages", "none")));
        parameters.set("includeDeleted", query("__includedeleted", "include soft-deleted records (name matched "
                + "ignoring case)", type("boolean")));
        parameters.set("ZumoOptions", header(OutpostHeaders.ZUMO_OPTIONS, "nextLink=path makes v3 nextLink a "
                + "path (/tables/{t}?…) instead of a query string", type("string")));
        parameters.set("IfMatch", header("If-Match", "\"<version>\": only if the record has that version (412 "
                + "otherwise); *: unconditional", type("string")));
        parameters.set("IfNoneMatch", header("If-None-Match", "\"<version>\": 304 when the record still has it",
                type("string")));
        return parameters;
    }

    private static ObjectNode headers() {
        ObjectNode headers = object();
        headers.set("ETag", headerObject("the record's version, quoted (strong)"));
        headers.set("Location", headerObject("the new record's URL"));
        headers.set("Link", headerObject("v2: the next page, as '<absolute url>; rel=next' without angle brackets"));
        headers.set("TombstoneHorizon", headerObject("now minus the tombstone retention (ISO-8601 UTC): a client "
                + "whose last pull is older must pull again from the start"));
        headers.set("ServerTime", headerObject("the server's time (ISO-8601 UTC)"));
        headers.set("WwwAuthenticate", headerObject("Bearer, or Bearer error=\"invalid_token\" for a bad token"));
        return headers;
    }

    private static ObjectNode responses() {
        ObjectNode responses = object();
        responses.set("BadRequest", errorAnswer("the request is not valid (bad query option, filter, id, body, "
                + "type or column)"));
        ObjectNode unauthorized = errorAnswer("sign-in needed (code unauthorized) or the token is not valid (code "
                + "invalidToken)");
        unauthorized.putObject("headers").set("WWW-Authenticate", ref("headers/WwwAuthenticate"));
        responses.set("Unauthorized", unauthorized);
        responses.set("Forbidden", errorAnswer("the caller lacks the role, or the record would be outside the "
                + "caller's rows"));
        responses.set("NotFound", errorAnswer("no such table or record (or one outside the caller's rows)"));
        responses.set("Disabled", errorAnswer("the operation is disabled on this table"));
        responses.set("Gone", errorAnswer("v3: the record is deleted; native pull: the cursor is older than the "
                + "tombstone retention (cursorExpired)"));
        responses.set("TooLarge", errorAnswer("the body is larger than the limit"));
        return responses;
    }

    // --- small builders -----------------------------------------------------------------------------------------

    private static ObjectNode object() {
        return RequestLimits.JSON.createObjectNode();
    }

    private static ObjectNode ref(String component) {
        return object().put("$ref", "#/components/" + component);
    }

    private static ObjectNode type(String type) {
        return object().put("type", type);
    }

    private static ObjectNode nullable(String type) {
        ObjectNode schema = object();
        schema.putArray("type").add(type).add("null");
        return schema;
    }

    private static ObjectNode arrayOf(ObjectNode items) {
        return type("array").set("items", items);
    }

    private static ObjectNode enumOf(String... values) {
        ObjectNode schema = type("string");
        ArrayNode list = schema.putArray("enum");
        for (String value : values) {
            list.add(value);
        }
        return schema;
    }

    private static ObjectNode query(String name, String description, ObjectNode schema) {
        return object().put("name", name).put("in", "query").put("description", description).set("schema", schema);
    }

    private static ObjectNode header(String name, String description, ObjectNode schema) {
        return object().put("name", name).put("in", "header").put("description", description).set("schema", schema);
    }

    private static ObjectNode headerObject(String description) {
        return object().put("description", description).set("schema", type("string"));
    }

    private static ObjectNode errorAnswer(String description) {
        ObjectNode response = object();
        response.put("description", description);
        response.putObject("content").putObject("application/json").set("schema", ref("schemas/ErrorBody"));
        return response;
    }
}
