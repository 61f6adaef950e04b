package dev.outpost.todo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.exception.StoreOwnerException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code outpost todo sync}: push the queued changes, then pull the server's. Safe to interrupt at any moment: a
 * change leaves the queue only once the server's answer to it is stored, and a change sent again after an
 * interruption is recognised by the server instead of being stored twice.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {
            "Send the queued changes to the server (push), then bring the server's changes here (pull).",
            "",
            "When the server cannot be reached, it says so in one line, exits with 3 and keeps every change queued; "
                    + "when the server refuses the sync as a whole (it fails, lacks the table, or is not an Outpost "
                    + "or Azure Mobile Apps server), likewise with exit code 5. "
                    + "It may be interrupted at any moment (Ctrl-C, a killed process, a cut network): nothing is "
                    + "lost or stored twice, and the next sync completes. An item changed here and on the server "
                    + "is merged when the changes are to different fields; changes to the same field are parked "
                    + "as a conflict (exit code 4): see `conflicts`.",
            "",
        })
final class SyncCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Option(names = "--json", description = "Print the outcome as JSON (pushed, pulled, pages, conflicts, …) "
            + "instead of progress lines.")
    boolean json;

    @Override
    public Integer call() {
        Output output = app.output(json);
        TodoConfig config = app.config();
        if (config.installationId().isEmpty()) {
            config = config.withInstallationId();
            config.save();
        }
        SyncProgress progress = new SyncProgress(output, json);
        Thread interrupted = new Thread(() -> {
            progress.abandon();
            output.err().println("Sync interrupted: nothing is lost, changes not confirmed by the server stay "
                    + "queued. Run sync again.");
        }, "sync-interrupted");
        Runtime.getRuntime().addShutdownHook(interrupted);
        TodoList.SyncResult result;
        int queued;
        try (TodoList list = TodoList.open(app.storeFile(), config, progress)) {
            queued = list.pending().size();
            try {
                result = list.sync();
            } catch (NetworkException e) {
                progress.abandon();
                int left = list.pending().size();
                output.err().println(output.style().red(Messages.unreachable(config.server(), e) + " Nothing is "
                        + "lost: " + ItemText.count(left, "change stays", "changes stay") + " queued for the "
                        + "next sync."));
                return ExitCodes.OFFLINE;
            } catch (ServerResponseException e) {
                progress.abandon();
                int left = list.pending().size();
                output.err().println(output.style().red(Messages.refused(config.server(), e) + " Nothing is lost: "
                        + ItemText.count(left, "change stays", "changes stay") + " queued for the next sync."));
                return e instanceof AuthenticationException ? ExitCodes.SIGN_IN : ExitCodes.REFUSED;
            } catch (StoreOwnerException e) {
                progress.abandon();
                output.err().println(output.style().red("This list belongs to " + e.owner() + ", not "
                        + e.user() + ": log out first (./outpost todo logout). Nothing was sent."));
                return ExitCodes.SIGN_IN;
            }
            config = config.withLastSync(output.clock().instant());
            config.save();
            int parked = list.parked().size();
            if (json) {
                Json.print(output.out(), json(config, queued, result, parked));
            } else {
                output.out().println(summary(config.server(), parked, output.style()));
            }
            return parked > 0 ? ExitCodes.CONFLICTS : ExitCodes.OK;
        } finally {
            removeHook(interrupted);
        }
    }

    private static String summary(String server, int parked, Style style) {
        if (parked == 0) {
            return style.green("Synced with " + server + ": everything is up to date.");
        }
        return style.yellow("Synced with " + server + ", but " + ItemText.count(parked, "conflict needs",
                "conflicts need") + " you: see ./outpost todo conflicts");
    }

    private static ObjectNode json(TodoConfig config, int queued, TodoList.SyncResult result, int parked) {
        ObjectNode node = Json.object();
        node.put("server", config.server());
        node.put("queued", queued);
        node.put("pushed", result.push().pushed());
        node.put("alreadyApplied", result.push().alreadyApplied());
        node.put("merged", result.push().resolved());
        node.put("pulled", result.pull().upserted());
        node.put("deleted", result.pull().deleted());
        node.put("pages", result.pull().pages());
        node.put("conflicts", parked);
        config.lastSync().ifPresent(when -> node.put("lastSync", when.toString()));
        return node;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down (Ctrl-C): the hook is running and says what happened.
        }
    }
}
