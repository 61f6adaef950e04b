package dev.outpost.client.internal.push;

/** What became of one pushed operation once its answer was stored. */
enum Outcome {
    /** Applied now; the operation is gone. */
    PUSHED,
    /** Applied by an earlier attempt; the operation is gone. */
    ALREADY_APPLIED,
    /** Rebased on the server's version: send it again in this push. */
    RESEND,
    /** Changed or removed locally meanwhile: the next push sends what it is now. */
    LATER,
    /** Parked. */
    PARKED,
    /** A conflict: the handler decides, outside the answer's transaction. */
    ASK
}
