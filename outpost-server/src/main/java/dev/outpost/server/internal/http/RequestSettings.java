package dev.outpost.server.internal.http;

import dev.outpost.server.internal.auth.AccessControl;
import dev.outpost.server.internal.auth.SignIn;
import dev.outpost.server.internal.rows.RowRules;

/**
 * What the routes take from the server's configuration: the protocol rule and the request limits. Immutable.
 *
 * @param strictVersion      refuse requests without {@code ZUMO-API-VERSION}
 * @param maxTop             the largest {@code $top}
 * @param maxBody            the largest table request body, in bytes
 * @param pageSizeV2         the v2 page size when {@code $top} is absent
 * @param pageSizeV3         the v3 page size
 * @param maxBatchOperations the most operations in one native batch push
 * @param maxBatchBody       the largest native batch push body, in bytes
 * @param horizon            how far back a pull of a soft-delete table can resume (the tombstone retention)
 * @param access             who the caller is, and what each table allows
 * @param rows               which rows of each table a caller may see and change
 * @param signIn             sign-in with identity providers ({@code /.auth/login}), or {@code null} for none
 */
public record RequestSettings(boolean strictVersion, int maxTop, long maxBody, int pageSizeV2, int pageSizeV3,
        int maxBatchOperations, long maxBatchBody, TombstoneHorizon horizon, AccessControl access, RowRules rows,
        SignIn signIn) {
}
