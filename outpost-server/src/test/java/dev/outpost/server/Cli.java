package dev.outpost.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the {@code outpost} command line in this JVM, as tests of its commands do. */
final class Cli {
    private Cli() {
    }

    /** The exit status, and what the command printed: stdout (stripped) on success, stderr otherwise. */
    static Map.Entry<Integer, String> run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var command = ServerMain.commandLine();
        command.setOut(new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int status = command.execute(args);
        return Map.entry(status, status == 0 ? out.toString().strip() : err.toString());
    }
}
