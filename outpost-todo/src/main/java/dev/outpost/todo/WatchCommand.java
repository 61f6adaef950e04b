package dev.outpost.todo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.sync.LiveSync;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.OutpostException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code outpost todo watch}: keeps the store in sync live and prints the list again whenever it changes, until
 * Ctrl-C. The list is printed from the main thread; the live sync's threads only say that something happened.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {
            "Keep this list in sync live and print it again whenever it changes, until Ctrl-C: an item added or "
                    + "changed on another device shows here within a second of its sync.",
            "",
            "Against an Outpost server it listens to the server's change events and pulls at once; against a server "
                    + "without them (the official Azure Mobile Apps servers) it syncs every --poll-seconds. When the "
                    + "server cannot be reached it says so and keeps trying, with growing pauses. Changes made on "
                    + "this device are sent soon after they are made (while watch runs, the store is busy: make "
                    + "them on another device, or stop watch first). Status lines go to standard error.",
            "",
        })
final class WatchCommand implements Callable<Integer> {
    /** Something the live sync did, for the printing thread. */
    private enum Signal { CHANGED, CONNECTED, POLLING, STOP }

    @ParentCommand
    TodoApp app;

    @Option(names = {"-a", "--all"}, description = "Include the done items.")
    boolean all;

    @Option(names = "--json", description = "Print one JSON line per change, {\"items\": [{id, text, complete}, …]}, "
            + "instead of the list.")
    boolean json;

    @Option(names = "--poll-seconds", paramLabel = "N", defaultValue = "30",
            description = "How often to sync with a server that has no change events (default: ${DEFAULT-VALUE}).")
    int pollSeconds;

    @Override
    public Integer call() {
        if (pollSeconds < 1) {
            throw new TodoException("--poll-seconds must be at least 1, not " + pollSeconds);
        }
        Output output = app.output(json);
        TodoConfig config = app.config();
        if (config.installationId().isEmpty()) {
            config = config.withInstallationId();
            config.save();
        }
        BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
        CountDownLatch closed = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Thread ctrlC = new Thread(() -> {
            signals.add(Signal.STOP);
            try {
                // Let the main thread stop the live sync and close the store before the JVM ends.
                closed.await(15, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                main.interrupt();
            }
        }, "watch-stop");
        Runtime.getRuntime().addShutdownHook(ctrlC);
        try (TodoList list = app.open(listener(output, config.server(), signals))) {
            LiveSync live = list.startLiveSync(Duration.ofSeconds(pollSeconds));
            try {
                watch(output, list, signals);
            } finally {
                live.stop();
            }
            output.err().println(output.style().dim("Stopped watching: "
                    + ItemText.count(list.pending().size(), "change", "changes") + " not synced yet."));
        } finally {
            closed.countDown();
        }
        return ExitCodes.OK;
    }

    /** Prints the list, then again each time it changes, until told to stop. */
    private void watch(Output output, TodoList list, BlockingQueue<Signal> signals) {
        output.err().println(output.style().dim("Watching " + list.server() + " (Ctrl-C to stop)."));
        String shown = show(output, list, null);
        while (true) {
            Signal signal;
            try {
                signal = signals.take();
            } catch (InterruptedException e) {
                return;
            }
            if (signal == Signal.STOP) {
                return;
            }
            if (signal == Signal.CHANGED) {
                shown = show(output, list, shown);
            }
        }
    }

    /** Prints the list when it differs from {@code shown} (what was printed last); returns what is shown now. */
    private String show(Output output, TodoList list, String shown) {
        if (json) {
            ArrayNode items = ListCommand.items(list, all);
            ObjectNode line = Json.object();
            line.set("items", items);
            String text = line.toString();
            if (!text.equals(shown)) {
                output.out().println(text);
            }
            return text;
        }
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        ListCommand.print(new Output(new PrintStream(buffer, true, StandardCharsets.UTF_8), output.err(),
                output.terminal(), output.style(), output.clock()), list, all);
        String text = buffer.toString(StandardCharsets.UTF_8);
        if (!text.equals(shown)) {
            if (shown != null) {
                output.out().println();
            }
            output.out().print(text);
            output.out().flush();
        }
        return text;
    }

    /** Status lines on standard error; a change of the list wakes the printing thread. */
    private SyncListener listener(Output output, String server, BlockingQueue<Signal> signals) {
        return new SyncListener() {
            private volatile boolean offline;

            @Override
            public void pullFinished(PullResult result) {
                signals.add(Signal.CHANGED);
            }

            @Override
            public void pushFinished(PushResult result) {
                signals.add(Signal.CHANGED);
            }

            @Override
            public void liveSyncConnected() {
                output.err().println(output.style().dim("● Live: connected to " + server + "."));
                offline = false;
                signals.add(Signal.CONNECTED);
            }

            @Override
            public void liveSyncDisconnected(OutpostException cause) {
                if (!offline) {
                    String why = cause instanceof NetworkException network ? Messages.unreachable(server, network)
                            : cause instanceof ServerResponseException refused ? Messages.refused(server, refused)
                            : cause.getMessage();
                    output.err().println(output.style().red("○ Offline: " + why + " Trying again; changes stay "
                            + "queued."));
                }
                offline = true;
            }

            @Override
            public void liveSyncPolling() {
                output.err().println(output.style().dim("The server has no change events: syncing every "
                        + pollSeconds + " s."));
                signals.add(Signal.POLLING);
            }
        };
    }
}
