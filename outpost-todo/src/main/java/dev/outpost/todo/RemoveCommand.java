package dev.outpost.todo;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo rm ID}: removes an item, locally. */
@Command(name = "rm", aliases = "remove", mixinStandardHelpOptions = true,
        description = "Remove an item (locally; the next sync removes it from the server and so from every other "
                + "device).")
final class RemoveCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Parameters(paramLabel = "ID", description = "The item's id, or any unique prefix of it.")
    String id;

    @Override
    public Integer call() {
        Output output = app.output(false);
        try (TodoList list = app.open()) {
            TodoItem item = list.find(id);
            String shortId = list.shortIds().get(item.id());
            list.remove(item);
            output.out().println("Removed " + ItemText.line(item, shortId, output.style()));
        }
        return ExitCodes.OK;
    }
}
