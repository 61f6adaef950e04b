package dev.outpost.server.internal.http;

import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.auth.TableAccess.Operation;
import dev.outpost.server.internal.events.ChangeHub;
import dev.outpost.server.internal.metrics.Installations;
import dev.outpost.server.internal.metrics.ServerMetrics;
import dev.outpost.server.internal.sql.FilterTranslator;
import dev.outpost.server.internal.store.BatchPush;
import dev.outpost.server.internal.store.Database;
import dev.outpost.server.internal.store.GroupCommitter;
import dev.outpost.server.internal.store.TableRepository;
import dev.outpost.server.internal.table.TableRegistry;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires every route of an Outpost server into a Javalin configuration: the table routes (v2 and v3), the native
 * extensions, {@code /health}, {@code /openapi.json}, the console ({@code /console}, {@link ConsoleRoutes}), the
 * operator's views (the tables overview, {@code /metrics}, {@code /outpost/v1/installations},
 * {@code /outpost/v1/status}, behind the {@link AdminGate}), sign-in ({@code /.auth/login/{provider}},
 * {@code /.auth/me}), the {@code X-Outpost-Server} header, request logging, the {@link ErrorMapper}, and the tables'
 * access rules in front
 * of every table route ({@code /health} is open).
 * Thread-safe once built.
 */
public final class TableRoutes {
    private static final Logger REQUESTS = LoggerFactory.getLogger("dev.outpost.server.requests");
    static final String CALLER = "outpost.caller";

    private final TableServices services;
    private final BatchPush batchPush;
    private final ChangeHub hub;
    private final AdminGate admin;
    private final Database database;
    private final String serverVersion;
    private final Telemetry telemetry;
    private final OperatorViews operator;

    /**
     * Routes over the given parts.
     *
     * @param metrics       the meters every request updates
     * @param installations the fleet every request with an installation id updates
     * @param clock         the server's clock
     */
    public TableRoutes(RequestSettings settings, Database database, TableRegistry registry, TableRepository repository,
                       GroupCommitter committer, BatchPush batchPush, ChangeHub hub, String serverVersion,
                       ServerMetrics metrics, Installations installations, Clock clock) {
        this.batchPush = batchPush;
        this.hub = hub;
        this.admin = new AdminGate(settings.access());
        this.database = database;
        this.serverVersion = serverVersion;
        this.telemetry = new Telemetry(metrics, installations, clock, clock.instant());
        this.services = new TableServices(settings, registry, repository, committer,
                new FilterTranslator(database.dialect()), FilterParser.defaults(),
                new ProtocolNegotiator(settings.strictVersion()), telemetry);
        this.operator = new OperatorViews(admin, telemetry, database, hub, serverVersion, registry.isDynamic());
    }

    /**
     * Adds the routes, headers, logging and error mapping to {@code config}.
     *
     * @param withMetrics whether {@code GET /metrics} is served here (else on a port of its own:
     *                    {@link #configureMetrics})
     */
    public void configure(JavalinConfig config, boolean withMetrics) {
        config.requestLogger.http((ctx, millis) -> {
            REQUESTS.info("{} {} {} {}ms", ctx.method(), ctx.path(), ctx.statusCode(), Math.round(millis));
            telemetry.finished(ctx, millis, services);
        });
        config.routes.before(ctx -> {
            ctx.header(OutpostHeaders.OUTPOST_SERVER, serverVersion);
            // Table data must not be served from a browser's cache (as the official Node server says too).
            ctx.header("Cache-Control", "no-cache");
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            telemetry.noteConflict(ctx, e);
            ErrorMapper.handle(e, ctx);
        });
        config.routes.error(404, ErrorMapper::routeNotFound);
        config.routes.error(405, ErrorMapper::routeNotFound);

        // The operator's views, behind the AdminGate.
        if (withMetrics) {
            config.routes.get("/metrics", operator::metrics);
        }
        config.routes.get("/outpost/v1/installations", operator::installations);
        config.routes.get("/outpost/v1/status", operator::status);

        config.routes.get("/health", ctx -> {
            boolean up = database.healthy();
            ctx.status(up ? 200 : 503).contentType("application/json")
                    .result(up ? "{\"status\":\"ok\"}" : "{\"status\":\"unavailable\"}");
        });

        ListHandler list = new ListHandler(services);
        UpdateHandler merge = new UpdateHandler(services, false);
        config.routes.get("/tables/{table}", guarded(Operation.READ, list));
        config.routes.post("/tables/{table}", guarded(Operation.INSERT, new InsertHandler(services)));
        config.routes.patch("/tables/{table}", guarded(Operation.UPDATE, merge));
        config.routes.get("/tables/{table}/{id}", guarded(Operation.READ, new ReadHandler(services)));
        config.routes.patch("/tables/{table}/{id}", guarded(Operation.UPDATE, merge));
        config.routes.put("/tables/{table}/{id}", guarded(Operation.UPDATE, new UpdateHandler(services, true)));
        config.routes.delete("/tables/{table}/{id}", guarded(Operation.DELETE, new DeleteHandler(services)));
        config.routes.post("/tables/{table}/{id}", guarded(Operation.UNDELETE, new UndeleteHandler(services)));

        // Sign-in as App Service offered it to the official clients; a JSON 404 when the server has none.
        config.routes.post("/.auth/login/{provider}", new LoginHandler(services.settings()));
        config.routes.get("/.auth/me", new MeHandler(services.settings().access()));

        // The batch checks each operation against its table's rules (a refusal answers for that operation).
        config.routes.post("/outpost/v1/push", new BatchHandler(services, batchPush));
        config.routes.get("/outpost/v1/tables/{table}/changes", guarded(Operation.READ,
                new ChangesHandler(services)));
        // Checks every watched table's read rule itself.
        config.routes.get("/outpost/v1/events", new EventsHandler(services, hub));
        // For operators (the console): behind the AdminGate.
        config.routes.get("/outpost/v1/tables", new TablesHandler(services.registry(), services.settings().access(),
                services.settings().rows(), admin));

        // Public, as the Datasync toolkit's: the shapes of the API, no data and no row rules.
        config.routes.get("/openapi.json", new OpenApi(services.registry(), services.settings(), serverVersion,
                withMetrics));

        new ConsoleRoutes(services.settings().access(), admin).configure(config);
    }

    /**
     * Serves {@code GET /metrics} alone, behind the {@link AdminGate} (the metrics port of
     * {@code --metrics-port}), with the same error answers; requests to it are not counted in the metrics.
     */
    public void configureMetrics(JavalinConfig config) {
        config.routes.before(ctx -> ctx.header(OutpostHeaders.OUTPOST_SERVER, serverVersion));
        config.routes.exception(Exception.class, ErrorMapper::handle);
        config.routes.error(404, ErrorMapper::routeNotFound);
        config.routes.error(405, ErrorMapper::routeNotFound);
        config.routes.get("/metrics", operator::metrics);
    }

    /**
     * {@code handler}, run only when the caller may do {@code operation} on the route's table: 401 (with
     * {@code WWW-Authenticate}) without a valid sign-in where one is needed, 403 without the role, 405 when
     * disabled.
     */
    private Handler guarded(Operation operation, Handler handler) {
        return ctx -> {
            AccessControl access = services.settings().access();
            access.of(ctx.pathParam("table")).check(caller(ctx, access), operation, ctx.pathParam("table"));
            handler.handle(ctx);
        };
    }

    /** The request's caller, verified once per request. */
    static Caller caller(Context ctx, AccessControl access) {
        Caller known = ctx.attribute(CALLER);
        if (known != null) {
            return known;
        }
        Caller caller = access.caller(ctx.header("Authorization"), ctx.header(OutpostHeaders.ZUMO_AUTH));
        ctx.attribute(CALLER, caller);
        return caller;
    }
}
