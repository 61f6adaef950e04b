package dev.outpost.todo;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo done ID}: marks an item done, locally. */
@Command(name = "done", mixinStandardHelpOptions = true,
        description = "Mark an item done (locally; sent by the next sync).")
final class DoneCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Parameters(paramLabel = "ID", description = "The item's id, or any unique prefix of it.")
    String id;

    @Override
    public Integer call() {
        return Completion.set(app, id, true);
    }
}
