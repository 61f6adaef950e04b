package dev.outpost.server.internal.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.Caller;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web console at {@code /console}: static HTML, CSS and JavaScript modules from the jar
 * ({@code dev/outpost/server/console/}), and {@code /console/session}, which tells the page whether its caller may
 * use the operator's views.
 *
 * <p>The page and its assets hold no data. Without sign-in the {@link AdminGate} keeps them to this machine; with
 * sign-in anyone may load them, because a browser cannot send a token when it navigates: the page asks for a token
 * and every call it makes carries it, through the public table API and the admin-gated operator endpoints. Nothing
 * here reads or writes a record. Thread-safe.
 */
final class ConsoleRoutes {
    private static final String WHAT = "the console";
    private static final String BASE = "/dev/outpost/server/console/";
    private static final Pattern ASSET = Pattern.compile("[a-z][a-z0-9-]{0,63}\\.(html|css|js|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml");
    // Only this origin: no CDN, no inline script, nothing fetched from elsewhere at run time.
    private static final String POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AccessControl access;
    private final AdminGate admin;
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    ConsoleRoutes(AccessControl access, AdminGate admin) {
        this.access = access;
        this.admin = admin;
    }

    void configure(JavalinConfig config) {
        config.routes.get("/console", ctx -> serve(ctx, "index.html"));
        config.routes.get("/console/session", this::session);
        config.routes.get("/console/{asset}", ctx -> serve(ctx, ctx.pathParam("asset")));
    }

    private void serve(Context ctx, String name) {
        if (!access.hasIdentity()) {
            admin.check(ctx, WHAT);
        }
        Matcher matcher = ASSET.matcher(name);
        Optional<byte[]> bytes = matcher.matches() ? asset(name) : Optional.empty();
        if (bytes.isEmpty()) {
            ctx.status(404);
            ErrorMapper.routeNotFound(ctx);
            return;
        }
        ctx.header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .contentType(TYPES.get(matcher.group(1)))
                .result(bytes.get());
    }

    /** 200 with who the caller is when the operator's views are open to them; 401/403 from the gate otherwise. */
    private void session(Context ctx) {
        admin.check(ctx, WHAT);
        ObjectNode body = JSON.createObjectNode().put("identity", access.hasIdentity());
        Caller caller = TableRoutes.caller(ctx, access);
        if (caller.isAuthenticated()) {
            body.put("user", caller.userId());
        }
        ctx.contentType("application/json").result(body.toString());
    }

    /** The asset's bytes; only assets that exist are kept, so unknown names cannot fill the map. */
    private Optional<byte[]> asset(String name) {
        byte[] known = assets.get(name);
        if (known != null) {
            return Optional.of(known);
        }
        Optional<byte[]> loaded = load(name);
        loaded.ifPresent(bytes -> assets.put(name, bytes));
        return loaded;
    }

    private static Optional<byte[]> load(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(BASE + name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
