package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Every {@code ./outpost todo …} command line shown in the READMEs and the benchmarks is one the app accepts, so
 * the docs cannot drift from the commands and options (their outputs are checked by {@link WalkthroughIT}).
 */
class ReadmeCommandsTest {
    private static final Pattern COMMAND = Pattern.compile("\\./outpost todo ((?:[^`'\\n ]| (?! ))*)");

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "outpost-todo/README.md", "docs/BENCHMARKS.md"})
    void everyTodoCommandLineInTheDocsParses(String doc) throws IOException {
        Path root = Path.of(System.getProperty("maven.multiModuleProjectDirectory",
                Path.of("").toAbsolutePath().getParent().toString()));
        String text = Files.readString(root.resolve(doc));
        List<String> commands = new ArrayList<>();
        Matcher m = COMMAND.matcher(text);
        while (m.find()) {
            commands.add(m.group(1).strip());
        }
        assertThat(commands).isNotEmpty();
        for (String command : commands) {
            String[] args = command.isEmpty() ? new String[0] : command.split("\\s+");
            if (args.length > 0 && (args[0].equals("COMMAND") || args[0].contains("…"))) {
                continue;
            }
            assertThat(parses(args)).as("'./outpost todo %s' in %s", command, doc).isTrue();
        }
    }

    private static boolean parses(String[] args) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        TodoApp app = new TodoApp(new Output(nowhere, nowhere, false, new Style(false), Clock.systemUTC()),
                Map.of());
        CommandLine commandLine = TodoApp.commandLine(app, args);
        try {
            commandLine.parseArgs(args);
            return true;
        } catch (CommandLine.ParameterException e) {
            return false;
        }
    }
}
