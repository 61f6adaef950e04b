package dev.outpost.server.internal.http;

import dev.outpost.protocol.OutpostHeaders;
import dev.outpost.protocol.ProtocolVersion;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * Chooses v2 or v3 for a request from {@code ZUMO-API-VERSION}, given as a query parameter (name in any case;
 * it wins, as on the .NET servers) or a header: {@code 2.0.x} is v2, {@code 3.0.x} is v3, a missing one is v3 (or
 * refused when the server is strict), anything else is refused with a 400. Thread-safe.
 */
final class ProtocolNegotiator {
    static final String ATTRIBUTE = "outpost.protocol";

    private final boolean strict;

    ProtocolNegotiator(boolean strict) {
        this.strict = strict;
    }

    ProtocolVersion negotiate(Context ctx) {
        String value = null;
        for (Map.Entry<String, List<String>> param : ctx.queryParamMap().entrySet()) {
            if (param.getKey().equalsIgnoreCase(OutpostHeaders.ZUMO_API_VERSION) && !param.getValue().isEmpty()) {
                value = param.getValue().get(0);
            }
        }
        if (value == null) {
            value = ctx.header(OutpostHeaders.ZUMO_API_VERSION);
        }
        ProtocolVersion version;
        if (value == null) {
            if (strict) {
                throw new InvalidRequestException(400, "invalidApiVersion", "No API version was specified in the "
                        + "request: send ZUMO-API-VERSION 2.0.0 or 3.0.0 as a header or query parameter");
            }
            version = ProtocolVersion.V3;
        } else {
            version = ProtocolVersion.fromHeader(value);
            if (version == null) {
                throw new InvalidRequestException(400, "invalidApiVersion", "An invalid API version was specified "
                        + "in the request: ZUMO-API-VERSION must be 2.0.x or 3.0.x");
            }
        }
        ctx.attribute(ATTRIBUTE, version);
        return version;
    }

    /** The version chosen for {@code ctx}, or v3 when negotiation has not happened (or failed). */
    static ProtocolVersion of(Context ctx) {
        ProtocolVersion version = ctx.attribute(ATTRIBUTE);
        return version == null ? ProtocolVersion.V3 : version;
    }
}
