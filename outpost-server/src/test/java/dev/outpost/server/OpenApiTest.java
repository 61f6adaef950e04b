package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /openapi.json} of real servers (declared tables with identity; the dynamic schema without), parsed by
 * swagger-parser with no messages, its content checked, and every route the server answers found in it.
 */
// swagger-models types its schemas raw (Map<String, Schema>).
@SuppressWarnings({"rawtypes", "unchecked"})
class OpenApiTest {
    static final String TABLES = "{"
            + "\"todoitem\": {\"columns\": {\"text\": \"string\", \"complete\": \"boolean\"}, \"access\": "
            + "\"authenticated\", \"perUser\": true},"
            + "\"audit\": {\"columns\": {\"at\": \"date\", \"payload\": \"json\", \"count\": \"integer\", \"ratio\":"
            + " \"number\"}, \"softDelete\": false, \"access\": \"role:auditor\"},"
            + "\"notice\": {\"columns\": {\"text\": \"string\"}, \"access\": {\"read\": \"anonymous\", \"insert\": "
            + "\"authenticated\", \"update\": \"disabled\", \"delete\": \"disabled\"}},"
            + "\"project\": {\"columns\": {\"name\": \"string\", \"teamId\": \"string\"}, \"access\": "
            + "\"authenticated\", \"rows\": \"teamId in $user.teams\"}}";
    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

    @TempDir
    Path dir;


    /** The served document, parsed: swagger-parser has nothing to say about it. */
    private static OpenAPI parse(TestServer server) {
        Reply reply = server.send("GET", "/openapi.json", null, Map.of());
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIV3Parser().readContents(reply.body(), null, options);
        assertThat(result.getMessages()).as("swagger-parser messages").isEmpty();
        OpenAPI api = result.getOpenAPI();
        assertThat(api.getOpenapi()).isEqualTo("3.1.0");
        return api;
    }

    @Test
    void declaredTablesAreDescribedWithTheirColumnsAndRules() throws Exception {
        Path file = Files.writeString(dir.resolve("tables.json"), TABLES);
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(Tokens.SECRET).tablesFile(file))) {
            OpenAPI api = parse(server);

            assertThat(api.getPaths()).containsKeys("/tables/todoitem", "/tables/todoitem/{id}", "/tables/audit",
                    "/tables/audit/{id}", "/tables/notice", "/tables/project/{id}", "/outpost/v1/push",
                    "/outpost/v1/tables/{table}/changes", "/outpost/v1/events", "/outpost/v1/tables", "/health",
                    "/openapi.json", "/.auth/me");
            assertThat(api.getPaths()).doesNotContainKeys("/tables/{table}", "/tables/{table}/{id}",
                    "/.auth/login/{provider}");

            Map<String, Schema> audit = properties(api, "table.audit");
            assertThat(audit).containsOnlyKeys("at", "payload", "count", "ratio", "id", "createdAt", "updatedAt",
                    "version", "deleted");
            assertThat(audit.get("at").getTypes()).containsExactlyInAnyOrder("string", "null");
            assertThat(audit.get("at").getFormat()).isEqualTo("date-time");
            assertThat(audit.get("count").getTypes()).containsExactlyInAnyOrder("integer", "null");
            assertThat(audit.get("count").getFormat()).isEqualTo("int64");
            assertThat(audit.get("ratio").getTypes()).containsExactlyInAnyOrder("number", "null");
            assertThat(audit.get("payload").getTypes()).isNull();
            assertThat(audit.get("deleted").getTypes()).containsExactly("boolean");
            assertThat(audit.get("updatedAt").getReadOnly()).isTrue();
            assertThat(api.getComponents().getSchemas().get("table.audit").getAdditionalProperties())
                    .isEqualTo(false);
            assertThat(properties(api, "table.todoitem")).containsKeys("text", "complete", "userId");
            assertThat(properties(api, "table.todoitem").get("complete").getTypes()).contains("boolean");

            PathItem todo = api.getPaths().get("/tables/todoitem");
            assertThat(parameterNames(api, todo.getGet())).contains("$filter", "$orderby",
                    "$top", "$skip", "$select", "$count", "$inlinecount", "__includedeleted", "ZUMO-API-VERSION");
            assertThat(todo.getPost().getResponses()).containsKeys("201", "400", "401", "403", "409");
            assertThat(todo.getPost().getRequestBody().getContent().get("application/json").getSchema().get$ref())
                    .isEqualTo("#/components/schemas/table.todoitem");
            PathItem todoItem = api.getPaths().get("/tables/todoitem/{id}");
            assertThat(todoItem.getGet().getResponses()).containsKeys("200", "304", "404", "410");
            assertThat(todoItem.getGet().getResponses().get("200").getHeaders()).containsKey("ETag");
            assertThat(todoItem.getPut().getResponses()).containsKeys("200", "409", "412");
            assertThat(parameterNames(api, todoItem.getPut())).contains("id", "If-Match");
            assertThat(todoItem.getDelete().getResponses()).containsKeys("200", "204", "412");
            assertThat(todoItem.getPost().getResponses()).containsKeys("201");
            assertThat(todoItem.getGet().getSecurity()).containsExactly(requirement("bearer"),
                    requirement("zumoAuth"));

            // role:auditor is the role list of the schemes; disabled operations answer 405; anonymous is optional.
            assertThat(api.getPaths().get("/tables/audit").getGet().getSecurity())
                    .containsExactly(requirement("bearer", "auditor"), requirement("zumoAuth", "auditor"));
            assertThat(api.getPaths().get("/tables/audit").getGet().getResponses()).containsKey("403");
            assertThat(api.getPaths().get("/tables/notice/{id}").getPut().getResponses()).containsKey("405");
            assertThat(api.getPaths().get("/tables/notice").getGet().getSecurity()).contains(new SecurityRequirement());
            assertThat(api.getPaths().get("/tables/notice").getGet().getResponses()).doesNotContainKey("405");
            assertThat(api.getComponents().getSecuritySchemes()).containsKeys("bearer", "zumoAuth");
            assertThat(api.getComponents().getSecuritySchemes().get("zumoAuth").getName()).isEqualTo("X-ZUMO-AUTH");

            assertThat(api.getPaths().get("/outpost/v1/events").getGet().getResponses().get("200").getContent())
                    .containsOnlyKeys("text/event-stream");
            assertThat(api.getPaths().get("/outpost/v1/push").getPost().getResponses().get("200").getContent()
                    .get("application/json").getSchema().get$ref()).isEqualTo("#/components/schemas/PushResponse");
            assertThat(api.getPaths().get("/outpost/v1/tables").getGet().getSecurity())
                    .contains(requirement("bearer", "admin"));
            assertThat(api.getComponents().getSchemas().get("ErrorBody").getRequired())
                    .containsExactlyInAnyOrder("error", "code");

            assertEveryRouteIsDescribed(server, api, List.of("todoitem", "audit", "notice", "project"),
                    withConsole("POST /.auth/login/{provider}"));
        }
    }

    @Test
    void dynamicSchemaHasGenericRoutesAndEveryTableThatExistsNow() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE)) {
            OpenAPI before = parse(server);
            assertThat(before.getPaths()).containsKeys("/tables/{table}", "/tables/{table}/{id}")
                    .doesNotContainKey("/tables/notes");
            Map<String, Schema> record = properties(before, "Record");
            assertThat(record).containsOnlyKeys("id", "createdAt", "updatedAt", "version", "deleted");
            assertThat(before.getComponents().getSchemas().get("Record").getAdditionalProperties()).isEqualTo(true);
            assertThat(before.getComponents().getSecuritySchemes()).isNull();
            assertThat(before.getPaths().get("/tables/{table}").getGet().getSecurity()).isNull();

            assertThat(server.v3("POST", "/tables/notes", "{\"text\": \"milk\", \"count\": 2, \"done\": false, "
                    + "\"due\": \"2026-11-23T06:32:01.213Z\", \"tags\": [\"a\"]}").status()).isEqualTo(201);
            OpenAPI after = parse(server);
            assertThat(after.getPaths()).containsKeys("/tables/{table}", "/tables/notes", "/tables/notes/{id}");
            Map<String, Schema> notes = properties(after, "table.notes");
            assertThat(notes.get("text").getTypes()).containsExactlyInAnyOrder("string", "null");
            assertThat(notes.get("count").getTypes()).containsExactlyInAnyOrder("number", "null");
            assertThat(notes.get("done").getTypes()).containsExactlyInAnyOrder("boolean", "null");
            assertThat(notes.get("due").getFormat()).isEqualTo("date-time");
            assertThat(notes.get("tags").getTypes()).isNull();
            assertThat(after.getComponents().getSchemas().get("table.notes").getAdditionalProperties())
                    .isEqualTo(true);
            assertThat(after.getPaths().get("/tables/notes").getGet().getResponses()).doesNotContainKey("401");
            assertThat(after.getPaths()).doesNotContainKeys("/.auth/me", "/.auth/login/{provider}");

            // Without sign-in the sign-in routes only answer 404 noSignIn: they are not part of the API.
            assertEveryRouteIsDescribed(server, after, List.of("notes"), withConsole("GET /.auth/me",
                    "POST /.auth/login/{provider}"));
        }
    }

    @Test
    void theDocumentIsPublicOnAServerWithIdentity() throws Exception {
        Path file = Files.writeString(dir.resolve("tables.json"), TABLES);
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(Tokens.SECRET).tablesFile(file))) {
            assertThat(server.send("GET", "/openapi.json", null, Map.of()).status()).isEqualTo(200);
            assertThat(server.send("GET", "/openapi.json", null, Map.of("Authorization", "Bearer "
                    + Tokens.signed("bob", Map.of()))).status()).isEqualTo(200);
        }
    }

    @Test
    void theParserWouldReportABrokenDocument() {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE)) {
            ObjectNode doc = (ObjectNode) server.send("GET", "/openapi.json", null, Map.of()).json();
            doc.remove("info");
            ((ObjectNode) doc.at("/paths/~1health/get")).remove("responses");
            SwaggerParseResult result = new OpenAPIV3Parser().readContents(doc.toString(), null, new ParseOptions());
            assertThat(result.getMessages()).anyMatch(m -> m.contains("info"))
                    .anyMatch(m -> m.contains("responses"));
        }
    }

    /**
     * {@code routes} and the console's: a web page for operators (its HTML, CSS and JavaScript, and the session check
     * it makes before it calls the API), not part of the API that apps call.
     */
    private static Set<String> withConsole(String... routes) {
        Set<String> all = new HashSet<>(Set.of(routes));
        all.addAll(Set.of("GET /console", "GET /console/session", "GET /console/{asset}"));
        return all;
    }

    /**
     * Every route the server answers is in the document, with its method: a route with {@code {table}} as the
     * generic path (dynamic schema) or as the path of each table.
     */
    private static void assertEveryRouteIsDescribed(TestServer server, OpenAPI api, List<String> tables,
                                                    Set<String> notInTheApi) {
        List<String> routes = server.server().routes();
        assertThat(routes).contains("GET /tables/{table}", "POST /outpost/v1/push", "GET /openapi.json",
                "GET /outpost/v1/tables");
        List<String> missing = new ArrayList<>();
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1);
            if (!METHODS.contains(method) || notInTheApi.contains(route)) {
                continue;
            }
            List<String> expected = new ArrayList<>();
            if (path.contains("{table}") && !api.getPaths().containsKey(path)) {
                tables.forEach(table -> expected.add(path.replace("{table}", table)));
            } else {
                expected.add(path);
            }
            for (String each : expected) {
                PathItem item = api.getPaths().get(each);
                Operation operation = item == null ? null
                        : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)));
                if (operation == null) {
                    missing.add(method + " " + each);
                }
            }
        }
        assertThat(missing).as("routes the server answers but the document does not describe").isEmpty();
    }

    private static Map<String, Schema> properties(OpenAPI api, String schema) {
        assertThat(api.getComponents().getSchemas()).containsKey(schema);
        return api.getComponents().getSchemas().get(schema).getProperties();
    }

    /** The names of an operation's parameters, references resolved. */
    private static List<String> parameterNames(OpenAPI api, Operation operation) {
        List<String> names = new ArrayList<>();
        for (Parameter parameter : operation.getParameters()) {
            String ref = parameter.get$ref();
            names.add(ref == null ? parameter.getName() : api.getComponents().getParameters()
                    .get(ref.substring(ref.lastIndexOf('/') + 1)).getName());
        }
        return names;
    }

    private static SecurityRequirement requirement(String scheme, String... roles) {
        return new SecurityRequirement().addList(scheme, List.of(roles));
    }
}
