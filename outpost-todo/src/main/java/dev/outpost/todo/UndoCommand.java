package dev.outpost.todo;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo undo ID}: marks a done item open again, locally. */
@Command(name = "undo", mixinStandardHelpOptions = true,
        description = "Mark a done item open again (locally; sent by the next sync).")
final class UndoCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Parameters(paramLabel = "ID", description = "The item's id, or any unique prefix of it.")
    String id;

    @Override
    public Integer call() {
        return Completion.set(app, id, false);
    }
}
