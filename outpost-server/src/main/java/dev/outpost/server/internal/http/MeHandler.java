package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.AccessDeniedException;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.auth.SignIn;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /.auth/me}: the caller, in the shape App Service gave it: an array with one entry,
 * {@code [{"provider_name": …, "user_id": …, "user_claims": [{"typ": …, "val": …}, …]}]}. {@code provider_name} is
 * the provider the user signed in with ({@code /.auth/login}), or {@code outpost} for other tokens; every claim of
 * the token is listed, an array claim once per element, times as epoch seconds, values as strings.
 *
 * <p>404 ({@code noSignIn}) when the server has no identity; 401 without a valid token. Thread-safe.
 */
final class MeHandler implements Handler {
    private final AccessControl access;

    MeHandler(AccessControl access) {
        this.access = access;
    }

    @Override
    public void handle(Context ctx) throws JsonProcessingException {
        if (!access.hasIdentity()) {
            throw LoginHandler.noSignIn("no sign-in secret or JWKS (--auth-secret-file, OUTPOST_AUTH_SECRET, "
                    + "--auth-jwks)");
        }
        Caller caller = TableRoutes.caller(ctx, access);
        if (!caller.isAuthenticated()) {
            throw AccessDeniedException.signInRequired("GET /.auth/me");
        }
        ArrayNode answer = RequestLimits.JSON.createArrayNode();
        ObjectNode me = answer.addObject();
        Object provider = caller.claims().get(SignIn.PROVIDER_CLAIM);
        me.put("provider_name", provider instanceof String name ? name : "outpost");
        me.put("user_id", caller.userId());
        ArrayNode claims = me.putArray("user_claims");
        new TreeMap<>(caller.claims()).forEach((name, value) -> addClaim(claims, name, value));
        ctx.status(200).contentType("application/json").result(RequestLimits.JSON.writeValueAsBytes(answer));
    }

    private static void addClaim(ArrayNode claims, String name, Object value) {
        if (value instanceof Collection<?> values) {
            values.forEach(each -> addClaim(claims, name, each));
            return;
        }
        String text;
        if (value instanceof Date date) {
            text = Long.toString(date.getTime() / 1000);
        } else if (value instanceof Map<?, ?> map) {
            text = RequestLimits.JSON.valueToTree(map).toString();
        } else {
            text = String.valueOf(value);
        }
        claims.addObject().put("typ", name).put("val", text);
    }
}
