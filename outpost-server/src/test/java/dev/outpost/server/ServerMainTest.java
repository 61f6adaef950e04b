package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code outpost serve} command line: its help, and start-up failures that say what is wrong in one line on
 * stderr and exit non-zero (1 for a failed start, 2 for a bad command line).
 */
class ServerMainTest {
    @TempDir
    Path dir;

    /** What a run of the command line printed, and its exit status. */
    private record Run(int status, String out, String err) {
        /** The error output, which must be exactly one line. */
        String errorLine() {
            assertThat(err).as("stderr").endsWith(System.lineSeparator());
            assertThat(err.strip()).as("stderr is one line").doesNotContain("\n").doesNotContain("\tat ");
            return err.strip();
        }
    }

    private static Run run(String... args) {
        Cli.Output output = Cli.output(args);
        return new Run(output.status(), output.out(), output.err());
    }

    private String sqlite() {
        return "jdbc:sqlite:" + dir.resolve("outpost.db");
    }

    private Run serve(String... options) {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--shutdown-timeout-seconds", "0"));
        args.addAll(List.of(options));
        return run(args.toArray(String[]::new));
    }

    @Test
    void serveHelpExplainsEveryOption() {
        Run run = run("serve", "--help");

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("--port", "--host", "--database", "--tables", "--strict-version",
                "--max-top", "--max-body", "--tombstone-retention-days", "--page-size-v2", "--page-size-v3",
                "--max-batch-operations", "--max-batch-body", "--pool-size", "--max-dynamic-tables", "default: 8080", "Exit status:");
        assertThat(run.out()).contains("--metrics-port", "GET /metrics", "--installation-expiry-days");
    }

    @Test
    void anUnreachableDatabaseIsOneLineNamingItsUrlWithoutThePassword() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/outpost?user=outpost&password=secret";

        Run run = serve("--database", url);

        assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
        assertThat(run.errorLine()).startsWith("outpost serve: cannot connect to the database")
                .contains("jdbc:postgresql://127.0.0.1:" + closedPort + "/outpost?user=outpost&password=…")
                .contains("refused")
                .doesNotContain("secret");
    }

    @Test
    void aSqliteFileThatCannotBeCreatedIsOneLineNamingIt() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("file"), "x");
        String url = "jdbc:sqlite:" + notADirectory.resolve("sub/outpost.db");

        Run run = serve("--database", url);

        assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
        assertThat(run.errorLine()).startsWith("outpost serve: cannot create the directory").contains(url);
    }

    @Test
    void aPortInUseIsOneLineNamingThePort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Run run = run("serve", "--port", Integer.toString(taken.getLocalPort()), "--database", sqlite());

            assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
            assertThat(run.errorLine()).isEqualTo("outpost serve: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the port is in use (or the address is not this machine's)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not JSON         | {\"todoitem\": {\"columns\": {\"text\": \"string\"}  | not valid JSON",
        "unknown field    | {\"todoitem\": {\"colums\": {\"text\": \"string\"}}} | table 'todoitem' has unknown field 'colums'",
        "bad type         | {\"todoitem\": {\"columns\": {\"text\": \"varchar\"}}} | column 'text' of 'todoitem' has type \"varchar\"",
        "bad table name   | {\"outpost_x\": {}}                                 | invalid table name 'outpost_x'",
        "duplicate table  | {\"a\": {}, \"a\": {}}                              | not valid JSON: Duplicate field 'a'",
        "not an object    | [1, 2]                                              | a tables file is a JSON object",
    })
    void aBadTablesFileIsOneLineNamingTheFileAndTheProblem(String name, String content, String problem)
            throws IOException {
        Path tables = Files.writeString(dir.resolve("tables.json"), content);

        Run run = serve("--database", sqlite(), "--tables", tables.toString());

        assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
        assertThat(run.errorLine()).startsWith("outpost serve: " + tables + ": ").contains(problem);
        assertThat(dir.resolve("outpost.db")).as("nothing is created").doesNotExist();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "unknown column   | {\"t\": {\"columns\": {\"a\": \"string\"}, \"rows\": \"tenantId eq $user.tenant\"}} | table 't': rows rule 'tenantId eq $user.tenant' names column 'tenantId', which the table does not have",
        "not a filter     | {\"t\": {\"columns\": {\"a\": \"string\"}, \"rows\": \"a eq eq $user.x\"}}         | table 't': rows rule 'a eq eq $user.x' is not a valid filter",
        "other variable   | {\"t\": {\"columns\": {\"a\": \"string\"}, \"rows\": \"a eq $caller.id\"}}         | the only variables are $user.id and $user.CLAIM",
        "ill-typed        | {\"t\": {\"columns\": {\"a\": \"string\"}, \"rows\": \"a eq $user.id and a gt 5\"}} | table 't': rows rule 'a eq $user.id and a gt 5'",
        "json column      | {\"t\": {\"columns\": {\"a\": \"json\"}, \"rows\": \"a eq $user.id\"}}           | compares json column 'a'",
        "no caller        | {\"t\": {\"columns\": {\"a\": \"string\"}, \"rows\": \"a eq 'x'\"}}              | does not use the caller",
        "claim in a call  | {\"t\": {\"columns\": {\"a\": \"string\"}, \"rows\": \"startswith(a, $user.id)\"}} | uses $user",
        "owner alone      | {\"t\": {\"columns\": {\"a\": \"string\"}, \"ownerColumn\": \"a\"}}                | ownerColumn of 't' needs \"perUser\": true",
        "owner not string | {\"t\": {\"columns\": {\"userId\": \"integer\"}, \"perUser\": true}}             | owner column 'userId' of 't' must be a string column",
        "perUser not bool | {\"t\": {\"perUser\": \"yes\"}}                                                  | perUser of 't' must be true or false",
    })
    void aBadRowRuleIsOneLineNamingTheFileTheTableAndTheProblem(String name, String content, String problem)
            throws IOException {
        Path tables = Files.writeString(dir.resolve("tables.json"), content);
        Path secret = Files.writeString(dir.resolve("secret"), "a-secret-of-at-least-thirty-two-bytes!!");

        Run run = serve("--database", sqlite(), "--tables", tables.toString(), "--auth-secret-file",
                secret.toString());

        assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
        assertThat(run.errorLine()).startsWith("outpost serve: " + tables + ": ").contains(problem);
    }

    @Test
    void rowRulesWithoutSignInAreOneLine() throws IOException {
        Path tables = Files.writeString(dir.resolve("tables.json"), "{\"todoitem\": {\"perUser\": true}}");

        Run run = serve("--database", sqlite(), "--tables", tables.toString());

        assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
        assertThat(run.errorLine()).isEqualTo("outpost serve: " + tables + ": table 'todoitem': its rows belong to "
                + "signed-in users (perUser or rows), but the server has no sign-in: give it a secret "
                + "(--auth-secret-file or OUTPOST_AUTH_SECRET) or keys (--auth-jwks)");
    }

    @Test
    void aMissingTablesFileIsOneLine() {
        Path missing = dir.resolve("missing.json");

        Run run = serve("--database", sqlite(), "--tables", missing.toString());

        assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
        assertThat(run.errorLine()).isEqualTo("outpost serve: " + missing + ": no such tables file");
    }

    @Test
    void aDeclaredColumnOfAnotherTypeThanInTheDatabaseIsOneLine() throws IOException {
        Path first = Files.writeString(dir.resolve("first.json"), "{\"todoitem\": {\"columns\": {\"n\": \"string\"}}}");
        Path second = Files.writeString(dir.resolve("second.json"),
                "{\"todoitem\": {\"columns\": {\"n\": \"integer\"}}}");
        OutpostServer.builder().config(ServerConfig.builder().port(0).database(sqlite()).tablesFile(first).build())
                .build().start().stop();

        Run run = serve("--database", sqlite(), "--tables", second.toString());

        assertThat(run.status()).isEqualTo(ServerMain.START_FAILED);
        assertThat(run.errorLine()).startsWith("outpost serve: column 'n' of table 'todoitem' is integer in the "
                + "tables file but string in the database");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--bogus              | Unknown option: '--bogus'",
        "--port=abc           | Invalid value for option '--port': 'abc' is not an int",
        "--max-top=0          | maxTop must be at least 1: 0",
        "--database=jdbc:h2:x | database must be a jdbc:sqlite: or jdbc:postgresql: URL",
    })
    void aBadOptionIsOneLineAndExitTwo(String option, String message) {
        Run run = run("serve", option);

        assertThat(run.status()).isEqualTo(ServerMain.BAD_USAGE);
        assertThat(run.errorLine()).isEqualTo("outpost serve: " + message + " (see 'outpost serve --help')");
    }
}
