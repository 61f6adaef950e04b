package dev.outpost.todo;

import dev.outpost.client.Tokens;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo whoami}: the signed-in user, and whose list the store holds. */
@Command(name = "whoami", mixinStandardHelpOptions = true,
        description = {"Show the signed-in user (from the kept token) and whose list this store holds. Local only.",
            ""})
final class WhoamiCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Override
    public Integer call() {
        Output output = app.output(false);
        TodoConfig config = app.config();
        String user = config.token().map(token -> Tokens.subject(token).orElse("(a token without a user)"))
                .orElse(null);
        try (TodoList list = TodoList.open(app.storeFile(), config, dev.outpost.client.sync.SyncListener.NONE)) {
            String owner = list.owner().orElse(null);
            output.out().println(user == null ? "Not logged in." : "Logged in as " + user + ".");
            if (owner != null && !owner.equals(user)) {
                output.out().println(output.style().yellow("This list belongs to " + owner + ": log out first to"
                        + " sync as someone else."));
            }
            return ExitCodes.OK;
        }
    }
}
