package dev.outpost.todo;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo config [KEY [VALUE]]}: shows or changes the store's settings. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = {
            "Show the settings (no KEY), one setting (KEY), or change one (KEY VALUE).",
            "",
            "They are kept in a .properties file beside the store. The settings:",
            "  server    the server's base URL (default " + TodoConfig.DEFAULT_SERVER + ")",
            "  protocol  auto (the default: Outpost's faster native extensions when the server offers them, "
                    + "else Datasync v3), v2 (Azure Mobile Apps servers, such as the official Node.js one) or v3",
            "",
            "Example: ./outpost todo config server http://192.168.1.20:8080",
            "",
        })
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "server or protocol.")
    String key;

    @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE", description = "The new value.")
    String value;

    @Override
    public Integer call() {
        Output output = app.output(false);
        TodoConfig config = app.config();
        if (key == null) {
            Columns columns = new Columns();
            columns.row(TodoConfig.SERVER, config.get(TodoConfig.SERVER));
            columns.row(TodoConfig.PROTOCOL, config.get(TodoConfig.PROTOCOL));
            columns.print(output.out(), "");
            output.out().println(output.style().dim("(settings file: " + config.file() + ")"));
            return ExitCodes.OK;
        }
        if (value == null) {
            output.out().println(config.get(key));
            return ExitCodes.OK;
        }
        TodoConfig changed = config.with(key, value).withInstallationId();
        changed.save();
        output.out().println(key + " = " + changed.get(key) + output.style().dim("  (saved in " + changed.file()
                + ")"));
        return ExitCodes.OK;
    }
}
