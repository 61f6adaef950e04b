package dev.outpost.todo;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code outpost todo add TEXT}: adds an open item, locally. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Add an item (stored locally at once; sent to the server by the next sync).")
final class AddCommand implements Callable<Integer> {
    @ParentCommand
    TodoApp app;

    @Parameters(arity = "1..*", paramLabel = "TEXT",
            description = "What to do. Several words are joined with spaces, so quotes are optional.")
    List<String> words;

    @Override
    public Integer call() {
        String text = String.join(" ", words).strip();
        if (text.isEmpty()) {
            throw new TodoException("An item needs some text: outpost todo add 'Buy milk'", ExitCodes.USAGE);
        }
        Output output = app.output(false);
        try (TodoList list = app.open()) {
            TodoItem added = list.add(text);
            output.out().println("Added " + ItemText.line(added, list.shortIds().get(added.id()), output.style()));
        }
        return ExitCodes.OK;
    }
}
