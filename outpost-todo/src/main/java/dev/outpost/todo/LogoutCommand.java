package dev.outpost.todo;

import dev.outpost.protocol.OutpostException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo logout [--force]}: syncs what it can, clears the local list and forgets the token. */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = {
            "Sign out: push the changes still waiting, then clear the local list and forget the token, so that "
                    + "another user can log in.",
            "",
            "It refuses while changes cannot be pushed (the server is unreachable, or conflicts are parked): "
                    + "sync and resolve them first, or use --force to drop them.",
            "",
        })
final class LogoutCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Option(names = "--force", description = "Clear the local list even if changes could not be pushed (they are "
            + "lost).")
    boolean force;

    @Override
    public Integer call() {
        Output output = app.output(false);
        TodoConfig config = app.config();
        try (TodoList list = TodoList.open(app.storeFile(), config, dev.outpost.client.sync.SyncListener.NONE)) {
            String owner = list.owner().orElse(null);
            try {
                list.signOut(force);
            } catch (IllegalStateException e) {
                output.err().println(output.style().red("Not logged out: " + e.getMessage() + ". Run sync and"
                        + " conflicts, or logout --force to drop those changes."));
                return ExitCodes.FAILED;
            } catch (OutpostException e) {
                output.err().println(output.style().red("Not logged out: " + e.getMessage()));
                return ExitCodes.FAILED;
            }
            config.withToken(null).save();
            output.out().println("Logged out" + (owner == null ? "" : " (" + owner + ")")
                    + ": the local list is cleared.");
            return ExitCodes.OK;
        }
    }
}
