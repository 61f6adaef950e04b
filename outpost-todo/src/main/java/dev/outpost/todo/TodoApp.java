package dev.outpost.todo;

import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.OperationRejectedException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.OutpostException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code outpost todo}: an offline-first todo list on the command line, the Outpost sample app. Every change goes to
 * a local SQLite store and works with no network; {@code sync} sends the queued changes to the server and brings
 * the server's back. One class per command ({@link AddCommand}, {@link ListCommand}, …); this class holds the
 * options every command shares and turns failures into one-line messages and {@link ExitCodes exit codes}.
 *
 * <p>Not a library: {@link #main} runs one command and exits.
 */
@Command(name = "outpost todo",
        mixinStandardHelpOptions = true,
        versionProvider = TodoApp.Version.class,
        usageHelpAutoWidth = true,
        description = {
            "An offline-first todo list: every change is stored locally at once and works with no network; "
                    + "`sync` sends the queued changes to the Outpost server and brings everyone else's back.",
            "",
            "Items are rows of the table todoitem (text, complete), as in the Azure Mobile Apps tutorials, so any "
                    + "server with that table works. An ID can be shortened to any unique prefix (list shows the "
                    + "shortest).",
            "",
        },
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  OUTPOST_TODO_STORE  The store to use when --store is not given.",
            "  NO_COLOR            When set (to anything), output has no colour.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Done.",
            "1:Failed: unknown or ambiguous id, wrong value, store in use by another command.",
            "2:Wrong command line: unknown command or option, missing argument.",
            "3:sync could not reach the server; every change stays queued for the next sync.",
            "4:sync finished, but conflicts are parked: see `outpost todo conflicts`.",
            "5:sync was refused by the server as a whole (it failed, lacks the table, or is not an Outpost or Azure"
                    + " Mobile Apps server); every change stays queued.",
            "6:sync needs signing in: no token, the server refused it, or the list belongs to another user (log"
                    + " out first); every change stays queued.",
        })
public final class TodoApp implements Callable<Integer> {
    /**
     * The commands, in the order {@code --help} lists them. They are registered in {@link #run} rather than in the
     * annotation, so that a command line naming one command only builds that one: picocli reads every registered
     * command's annotations at start-up, a sizeable part of the start-up time of a quick command such as list.
     */
    private static final List<Class<?>> COMMANDS = List.of(AddCommand.class, ListCommand.class, DoneCommand.class,
            UndoCommand.class, EditCommand.class, RemoveCommand.class, SyncCommand.class, WatchCommand.class, StatusCommand.class,
            ConflictsCommand.class, ConfigCommand.class, LoginCommand.class, LogoutCommand.class,
            WhoamiCommand.class, CommandLine.HelpCommand.class);
    /** The options of this command that take a value, skipped when looking for the command's name. */
    private static final Set<String> OPTIONS_WITH_VALUE = Set.of("--store", "--server");

    /** The store used when neither {@code --store} nor {@code OUTPOST_TODO_STORE} says otherwise. */
    static final String DEFAULT_STORE = "outpost-data/todo.db";

    @Option(names = "--store", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The local store (an SQLite file, created if missing; default: $OUTPOST_TODO_STORE or "
                    + DEFAULT_STORE + "). Its settings live beside it, in a .properties file of the same name.")
    Path store;

    @Option(names = "--server", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "The Outpost server to sync with, e.g. http://127.0.0.1:8080 (the default). Remembered "
                    + "in the store's settings, so later commands use it too; same as `config server URL`.")
    String server;

    @Option(names = "--no-color", scope = ScopeType.INHERIT,
            description = "No colour. (Colour is used only on a terminal, never with --json or NO_COLOR set.)")
    boolean noColor;

    @Spec
    CommandSpec spec;

    private final Output output;
    private final Map<String, String> env;

    TodoApp(Output output, Map<String, String> env) {
        this.output = output;
        this.env = env;
    }

    /** Runs one command and exits with its {@link ExitCodes exit code}. */
    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        Map<String, String> env = System.getenv();
        boolean terminal = System.console() != null && !"dumb".equals(env.get("TERM"));
        String noColor = env.get("NO_COLOR");
        boolean colour = terminal && (noColor == null || noColor.isEmpty());
        Output output = new Output(out, err, terminal, new Style(colour), Clock.systemDefaultZone());
        SqliteLibrary.useCachedCopy(env);
        System.exit(run(args, output, env));
    }

    /** Runs one command with the given output and environment; returns its exit code. */
    static int run(String[] args, Output output, Map<String, String> env) {
        TodoApp app = new TodoApp(output, env);
        return commandLine(app, args)
                .setOut(new java.io.PrintWriter(output.out(), true))
                .setErr(new java.io.PrintWriter(output.err(), true))
                .setExecutionExceptionHandler((e, command, parseResult) -> app.report(e))
                .execute(args);
    }

    /** The command line of {@code app}, with the command {@code args} name registered (or all of them). */
    static CommandLine commandLine(TodoApp app, String[] args) {
        CommandLine commandLine = new CommandLine(app);
        String named = commandName(args);
        for (Class<?> command : COMMANDS) {
            Command annotation = command.getAnnotation(Command.class);
            if (named == null || annotation.name().equals(named) || List.of(annotation.aliases()).contains(named)) {
                commandLine.addSubcommand(command);
            }
        }
        return commandLine;
    }

    /**
     * The command named on the command line (the first argument that is not one of this command's options), or
     * {@code null} when there is none or it is {@code help} or unknown: then every command is registered.
     */
    private static String commandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (OPTIONS_WITH_VALUE.contains(arg)) {
                i++;
            } else if (!arg.startsWith("-")) {
                for (Class<?> command : COMMANDS) {
                    Command annotation = command.getAnnotation(Command.class);
                    if (!arg.equals("help") && (annotation.name().equals(arg)
                            || List.of(annotation.aliases()).contains(arg))) {
                        return arg;
                    }
                }
                return null;
            }
        }
        return null;
    }

    /** Without a command: the list of commands. */
    @Override
    public Integer call() {
        spec.commandLine().usage(output.out());
        return ExitCodes.USAGE;
    }

    /** The output, without colour when {@code --no-color} or {@code json} asks for none. */
    Output output(boolean json) {
        return noColor || json ? output.withoutColour() : output;
    }

    /** The store file. */
    Path storeFile() {
        if (store != null) {
            return store;
        }
        String fromEnv = env.get("OUTPOST_TODO_STORE");
        return Path.of(fromEnv == null || fromEnv.isBlank() ? DEFAULT_STORE : fromEnv);
    }

    /**
     * The store's settings, with {@code --server} applied and remembered when it was given and differs from them.
     */
    TodoConfig config() {
        TodoConfig config = TodoConfig.load(storeFile());
        if (server != null) {
            String checked = TodoConfig.checkServer(server);
            if (!checked.equals(config.server())) {
                config = config.with(TodoConfig.SERVER, checked).withInstallationId();
                config.save();
                output.err().println(output.style().dim("Server set to " + checked + " (remembered in "
                        + config.file() + ")."));
            }
        }
        return config;
    }

    /** Opens the todo list of the store, for the server in its settings. */
    TodoList open(SyncListener listener) {
        return TodoList.open(storeFile(), config(), listener);
    }

    /** Opens the todo list of the store, with no sync listener. */
    TodoList open() {
        return open(SyncListener.NONE);
    }

    /** Prints a failure in one line (a stack trace only for a bug) and returns the exit code. */
    private int report(Exception e) {
        PrintStream err = output.err();
        if (e instanceof TodoException todo) {
            err.println(output.style().red(todo.getMessage()));
            return todo.exitCode();
        }
        if (e instanceof NetworkException network) {
            err.println(output.style().red(Messages.unreachable(config().server(), network)));
            return ExitCodes.OFFLINE;
        }
        if (e instanceof ServerResponseException response) {
            err.println(output.style().red(Messages.refused(config().server(), response)));
            return ExitCodes.REFUSED;
        }
        if (e instanceof OperationRejectedException || e instanceof OutpostException) {
            err.println(output.style().red(e.getMessage()));
            return ExitCodes.FAILED;
        }
        err.println("outpost todo: unexpected error (a bug; please report it with what follows):");
        e.printStackTrace(err);
        return ExitCodes.FAILED;
    }

    /** The version line of {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"outpost todo " + dev.outpost.client.OutpostClient.VERSION};
        }
    }
}
