package dev.outpost.todo;

import dev.outpost.client.Tokens;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo login --token TOKEN}: keeps the token the syncs send. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {
            "Sign in: keep TOKEN in the settings file (readable by you only); every sync sends it.",
            "",
            "A server with identity gives tokens (a local one: ./outpost token --user alice). The list belongs to "
                    + "the first user it syncs as; to sync as someone else, log out first.",
            "",
            "Example: token=\"$(./outpost token --user alice)\"; ./outpost todo login --token \"$token\"",
            "",
        })
final class LoginCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "The sign-in token (a JWT).")
    String token;

    @Override
    public Integer call() {
        Output output = app.output(false);
        TodoConfig config = app.config().withToken(token).withInstallationId();
        String user = Tokens.subject(config.token().orElse(null)).orElse(null);
        try (TodoList list = TodoList.open(app.storeFile(), config, dev.outpost.client.sync.SyncListener.NONE)) {
            String owner = list.owner().orElse(null);
            if (owner != null && !owner.equals(user)) {
                output.err().println(output.style().red("Not logged in: this list belongs to " + owner
                        + "; log out first (./outpost todo logout), which syncs and clears it."));
                return ExitCodes.FAILED;
            }
        }
        config.save();
        output.out().println("Signed in" + (user == null ? "" : " as " + user) + output.style().dim(
                "  (token kept in " + config.file() + ")"));
        return ExitCodes.OK;
    }
}
