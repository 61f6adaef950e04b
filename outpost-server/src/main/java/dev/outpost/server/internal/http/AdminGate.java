package dev.outpost.server.internal.http;

import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.AccessDeniedException;
import dev.outpost.server.internal.auth.Caller;
import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who may reach the operator's routes (the console, metrics, the installations and tables overviews): with sign-in
 * configured, a caller whose token has the role {@value #ROLE} (401 without a token, 403 without the role); without
 * sign-in, only clients on this machine (403 from elsewhere). Data still goes through the table routes and their
 * rules: this gate only opens the operator's views. Thread-safe.
 */
public final class AdminGate {
    /** The role an operator's token carries. */
    public static final String ROLE = "admin";

    private final AccessControl access;

    /** A gate over the server's access control. */
    public AdminGate(AccessControl access) {
        this.access = access;
    }

    /**
     * Lets the request through, or throws.
     *
     * @param what what is asked for, for the message ("the console", "metrics")
     * @throws AccessDeniedException 401 or 403 as above
     */
    public void check(Context ctx, String what) {
        if (access.hasIdentity()) {
            Caller caller = TableRoutes.caller(ctx, access);
            if (!caller.isAuthenticated()) {
                throw AccessDeniedException.signInRequired(what);
            }
            if (!caller.roles().contains(ROLE)) {
                throw AccessDeniedException.missingRole(what, ROLE);
            }
            return;
        }
        if (!isLoopback(ctx.req().getRemoteAddr())) {
            throw AccessDeniedException.loopbackOnly(what);
        }
    }

    /** Whether {@code address} (an IP literal) is this machine's loopback. */
    static boolean isLoopback(String address) {
        if (address == null || address.isEmpty()) {
            return false;
        }
        try {
            // An IP literal: getByName does no lookup for it.
            String literal = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
            if (!literal.matches("[0-9a-fA-F.:]+")) {
                return false;
            }
            return InetAddress.getByName(literal).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
