package dev.outpost.server.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.internal.auth.SignIn;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /.auth/login/{provider}}: sign-in with an identity provider's token, answered as App Service answered
 * the official clients' {@code client.login(provider, {access_token: …})}.
 *
 * <ol>
 *   <li>No sign-in providers on this server: 404 ({@code noSignIn}).</li>
 *   <li>An unknown provider: 404 ({@code unknownProvider}).</li>
 *   <li>The body: a JSON object with the provider's token in {@code id_token} or {@code access_token} (the first
 *       one present): else 400 (415, 413 for a body of another type or too large).</li>
 *   <li>The provider's token verified with the provider's keys, issuer and audience: else 401.</li>
 *   <li>200 {@code {"authenticationToken": "<Outpost token>", "user": {"userId": "sid:…"}}}.</li>
 * </ol>
 * Thread-safe.
 */
final class LoginHandler implements Handler {
    private static final Logger LOG = LoggerFactory.getLogger(LoginHandler.class);
    private static final List<String> TOKEN_FIELDS = List.of("id_token", "access_token");

    private final RequestSettings settings;

    LoginHandler(RequestSettings settings) {
        this.settings = settings;
    }

    @Override
    public void handle(Context ctx) throws JsonProcessingException {
        SignIn signIn = settings.signIn();
        if (signIn == null) {
            throw noSignIn("no sign-in provider is configured (--auth-provider)");
        }
        String provider = ctx.pathParam("provider").toLowerCase(Locale.ROOT);
        if (!signIn.has(provider)) {
            throw new InvalidRequestException(404, "unknownProvider", "no sign-in provider '" + abbreviate(provider)
                    + "' on this server; it has " + String.join(", ", signIn.providers()));
        }
        String providerToken = providerToken(RequestLimits.readObject(ctx, settings.maxBody()));
        SignIn.Session session = signIn.signIn(provider, providerToken);
        LOG.info("{} signed in with {}", session.userId(), provider);

        ObjectNode answer = RequestLimits.JSON.createObjectNode();
        answer.put("authenticationToken", session.token());
        answer.putObject("user").put("userId", session.userId());
        ctx.status(200).contentType("application/json").result(RequestLimits.JSON.writeValueAsBytes(answer));
    }

    /** 404: the server offers no sign-in (of the kind asked for). */
    static InvalidRequestException noSignIn(String why) {
        return new InvalidRequestException(404, "noSignIn", "this server has no sign-in configured: " + why);
    }

    private static String providerToken(ObjectNode body) {
        for (String field : TOKEN_FIELDS) {
            JsonNode value = body.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual() || value.asText().isBlank()) {
                throw new InvalidRequestException(400, "invalidBody", "'" + field + "' must be the provider's token, "
                        + "a non-empty string");
            }
            return value.asText().strip();
        }
        throw new InvalidRequestException(400, "invalidBody", "the body must hold the provider's token in "
                + "'access_token' or 'id_token'");
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
