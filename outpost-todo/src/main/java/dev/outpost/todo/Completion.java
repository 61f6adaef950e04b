package dev.outpost.todo;

/** What {@code done} and {@code undo} share: set an item's {@code complete} and say so. Stateless. */
final class Completion {
    private Completion() {
    }

    /** Sets the item {@code typedId}'s completion to {@code done}; returns the exit code. */
    static int set(TodoApp app, String typedId, boolean done) {
        Output output = app.output(false);
        try (TodoList list = app.open()) {
            TodoItem item = list.find(typedId);
            String shortId = list.shortIds().get(item.id());
            if (item.complete() == done) {
                output.out().println((done ? "Already done: " : "Already open: ")
                        + ItemText.line(item, shortId, output.style()));
                return ExitCodes.OK;
            }
            TodoItem changed = list.update(item.withComplete(done));
            output.out().println((done ? "Done " : "Reopened ") + ItemText.line(changed, shortId, output.style()));
        }
        return ExitCodes.OK;
    }
}
