package dev.outpost.todo;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo edit ID TEXT}: changes an item's text, locally. */
@Command(name = "edit", mixinStandardHelpOptions = true,
        description = "Change an item's text (locally; sent by the next sync).")
final class EditCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Parameters(index = "0", paramLabel = "ID", description = "The item's id, or any unique prefix of it.")
    String id;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "TEXT",
            description = "The new text. Several words are joined with spaces.")
    List<String> words;

    @Override
    public Integer call() {
        String text = String.join(" ", words).strip();
        if (text.isEmpty()) {
            throw new TodoException("An item needs some text.", ExitCodes.USAGE);
        }
        Output output = app.output(false);
        try (TodoList list = app.open()) {
            TodoItem item = list.find(id);
            TodoItem changed = list.update(item.withText(text));
            output.out().println("Edited " + ItemText.line(changed, list.shortIds().get(item.id()), output.style()));
        }
        return ExitCodes.OK;
    }
}
