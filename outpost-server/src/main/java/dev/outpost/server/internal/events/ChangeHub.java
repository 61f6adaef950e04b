package dev.outpost.server.internal.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams of one server and the thread that fans changes out to them. A feed delivers changes
 * without waiting; one dispatcher thread takes everything delivered since its last round, coalesces it per table
 * and audience (the latest position) and offers each table's change to the streams that watch
 * the table and may hear of it. Streams never block (they queue a bounded number of events), so one slow client
 * delays nobody. Every keep-alive interval each stream gets a comment (or ends, when its caller's sign-in has
 * expired). Thread-safe.
 */
public final class ChangeHub implements ChangeFeed.Sink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeHub.class);
    private static final List<Change> LOST = List.of();

    private final Map<String, Set<ChangeStream>> byTable = new ConcurrentHashMap<>();
    private final Set<ChangeStream> streams = ConcurrentHashMap.newKeySet();
    private final BlockingQueue<List<Change>> inbox = new LinkedBlockingQueue<>();
    private final Clock clock;
    private final Thread dispatcher;
    private final ScheduledExecutorService keeper;
    private volatile boolean running = true;

    /** A hub that sends keep-alive comments every {@code keepAlive}. */
    public ChangeHub(Clock clock, Duration keepAlive) {
        this.clock = clock;
        this.dispatcher = new Thread(this::dispatch, "outpost-events");
        this.dispatcher.setDaemon(true);
        this.dispatcher.start();
        this.keeper = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outpost-events-keepalive");
            thread.setDaemon(true);
            return thread;
        });
        long every = keepAlive.toMillis();
        keeper.scheduleAtFixedRate(this::keepAlive, every, every, TimeUnit.MILLISECONDS);
    }

    /** Adds a stream: from now on it hears of changes to its tables. */
    public void register(ChangeStream stream) {
        if (!running) {
            throw new IllegalStateException("the server is stopping");
        }
        streams.add(stream);
        for (String table : stream.tables()) {
            byTable.computeIfAbsent(table, key -> ConcurrentHashMap.newKeySet()).add(stream);
        }
    }

    /** Removes a stream (idempotent). */
    public void unregister(ChangeStream stream) {
        streams.remove(stream);
        for (String table : stream.tables()) {
            Set<ChangeStream> watching = byTable.get(table);
            if (watching != null) {
                watching.remove(stream);
            }
        }
    }

    /** How many streams are open. */
    public int size() {
        return streams.size();
    }

    @Override
    public void deliver(List<Change> changes) {
        inbox.add(changes);
    }

    @Override
    public void lost() {
        inbox.add(LOST);
    }

    private void dispatch() {
        List<List<Change>> round = new ArrayList<>();
        while (running) {
            try {
                round.add(inbox.take());
            } catch (InterruptedException e) {
                return;
            }
            inbox.drainTo(round);
            boolean lost = false;
            Map<String, Change> coalesced = new LinkedHashMap<>();
            for (List<Change> changes : round) {
                lost |= changes == LOST;
                for (Change change : changes) {
                    // Only changes heard by the same streams are one: a position never reaches other owners.
                    coalesced.merge(change.table() + "\n" + change.owners(), change, Change::merge);
                }
            }
            round.clear();
            try {
                if (lost) {
                    streams.forEach(stream -> stream.resync("reconnected"));
                }
                for (Change change : coalesced.values()) {
                    Set<ChangeStream> watching = byTable.get(change.table());
                    if (watching == null) {
                        continue;
                    }
                    for (ChangeStream stream : watching) {
                        if (change.reaches(stream.userId())) {
                            stream.change(change.table(), change.position());
                        }
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("change events: fanning out failed", e);
            }
        }
    }

    private void keepAlive() {
        try {
            Instant now = clock.instant();
            for (ChangeStream stream : streams) {
                Instant expires = stream.expires();
                if (expires != null && !now.isBefore(expires)) {
                    stream.end();
                } else {
                    stream.keepAlive();
                }
            }
        } catch (RuntimeException e) {
            LOG.error("change events: keep-alive failed", e);
        }
    }

    /** Ends every stream and stops the threads. */
    @Override
    public void close() {
        running = false;
        keeper.shutdownNow();
        dispatcher.interrupt();
        for (ChangeStream stream : List.copyOf(streams)) {
            stream.end();
        }
        try {
            dispatcher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
