package dev.outpost.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the {@code outpost} command line in this JVM, as tests of its commands do. */
final class Cli {
    private Cli() {
    }

    /** What a run of the command line printed, and its exit status. */
    record Output(int status, String out, String err) {
    }

    /** Runs the command line with {@code args}: its exit status and everything it printed. */
    static Output output(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var command = ServerMain.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int status = command.execute(args);
        return new Output(status, out.toString(), err.toString());
    }

    /** The exit status, and what the command printed: stdout (stripped) on success, stderr otherwise. */
    static Map.Entry<Integer, String> run(String... args) {
        Output output = output(args);
        return Map.entry(output.status(), output.status() == 0 ? output.out().strip() : output.err());
    }
}
