package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ServerMainTest {
    @Test
    void serveHelpExplainsEveryOption() {
        StringWriter out = new StringWriter();
        CommandLine command = new CommandLine(new ServerMain());
        command.setOut(new PrintWriter(out));

        int status = command.execute("serve", "--help");

        assertThat(status).isZero();
        assertThat(out.toString()).contains("--port", "--host", "--database", "--tables", "--strict-version",
                "--max-top", "--max-body", "--tombstone-retention-days", "--page-size-v2", "--page-size-v3",
                "--max-batch-operations", "--max-batch-body", "--pool-size", "default: 8080");
    }
}
