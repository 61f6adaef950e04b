/**
 * The messages of Outpost's native sync extensions, which only the Outpost client and server exchange (the exact
 * formats are in the project's {@code docs/native-protocol.md}): the batch push request
 * ({@link dev.outpost.protocol.sync.PushRequest} of {@link dev.outpost.protocol.sync.PushOperation}s), its answer
 * ({@link dev.outpost.protocol.sync.PushResponse} of {@link dev.outpost.protocol.sync.OperationResult}s), and the
 * cursor pull's page ({@link dev.outpost.protocol.sync.ChangesPage}). Each reads and writes its own JSON, with
 * Jackson's streaming API on the hot paths; a message that breaks its format is refused with an
 * {@link dev.outpost.protocol.sync.InvalidMessageException}.
 */
package dev.outpost.protocol.sync;
