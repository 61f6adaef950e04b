package dev.outpost.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.TestServer;
import dev.outpost.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * Screenshots of the console's main views for the docs, taken in headless Chromium against a demo server with a few
 * Todo items. Runs only when asked, with the directory to write to (from the repository's root):
 * <pre>
 * ./mvnw -B -o -pl outpost-server -am test -Dtest=ConsoleScreenshotsTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Doutpost.consoleScreenshots=$PWD/docs/console
 * </pre>
 */
@EnabledIfSystemProperty(named = "outpost.consoleScreenshots", matches = ".+")
class ConsoleScreenshotsTest {
    private static final String[][] TODOS = {
        {"t1", "Buy milk", "false"}, {"t2", "Call the plumber", "true"}, {"t3", "Book the train to Lyon", "false"},
        {"t4", "Water the plants", "true"}, {"t5", "Renew the passport", "false"},
        {"t6", "Send the invoice to Acme", "false"},
    };

    @TempDir
    Path dir;

    @Test
    void takesTheMainViews() throws IOException {
        Path out = Path.of(System.getProperty("outpost.consoleScreenshots"));
        Files.createDirectories(out);
        Path tables = dir.resolve("tables.json");
        Files.writeString(tables, "{\"todoitem\": {\"columns\": {\"text\": \"string\", \"complete\": \"boolean\"}}}");
        ChromeDriver driver = Chromium.start(1200, 900);
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.tablesFile(tables))) {
            for (String[] todo : TODOS) {
                server.v3("POST", "/tables/todoitem", "{\"id\":\"" + todo[0] + "\",\"text\":\"" + todo[1]
                        + "\",\"complete\":" + todo[2] + "}");
            }
            server.v3("DELETE", "/tables/todoitem/t4", null);
            syncAsClients(server);
            ConsolePage page = new ConsolePage(driver, server.baseUrl());

            page.openTable("todoitem");
            page.waitForCount("of 6");
            shoot(driver, out, "table.png");

            page.openRecord("t3");
            page.type(By.id("field-text"), "Book the train to Lyon (Friday)");
            shoot(driver, out, "record.png");
            server.v3("PUT", "/tables/todoitem/t3", "{\"id\":\"t3\",\"text\":\"Book the train to Lyon\","
                    + "\"complete\":true}");
            page.click(By.id("save"));
            page.find(By.id("conflict"));
            shoot(driver, out, "conflict.png");

            page.open("/tables");
            page.until(d -> d.findElement(By.id("tables")).getAttribute("aria-busy") == null);
            shoot(driver, out, "tables.png");
            page.open("/status");
            page.until(d -> d.findElement(By.id("status")).getAttribute("aria-busy") == null);
            shoot(driver, out, "status.png");
            page.open("/clients");
            page.until(d -> d.findElement(By.id("clients")).getAttribute("aria-busy") == null);
            shoot(driver, out, "clients.png");

            driver.manage().window().setSize(new Dimension(390, 780));
            page.openTable("todoitem");
            page.waitForCount("of 6");
            shoot(driver, out, "phone.png");
        } finally {
            driver.quit();
        }
    }

    /** Two installations pull (and one pushes) as Outpost's client would, so the clients view has some. */
    private static void syncAsClients(TestServer server) {
        for (String installation : new String[] {"phone-of-alice", "laptop-of-bob"}) {
            server.send("GET", "/outpost/v1/tables/todoitem/changes", null,
                    Map.of("X-ZUMO-INSTALLATION-ID", installation));
        }
        server.send("POST", "/outpost/v1/push", "{\"operations\":[{\"id\":\"op1\",\"table\":\"todoitem\","
                + "\"kind\":\"insert\",\"itemId\":\"t7\",\"item\":{\"text\":\"Fix the bike\",\"complete\":false}}]}",
                Map.of("X-ZUMO-INSTALLATION-ID", "laptop-of-bob", "X-Outpost-Queue-Depth", "3"));
    }

    private static void shoot(ChromeDriver driver, Path out, String name) throws IOException {
        Path shot = driver.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, out.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(out.resolve(name))).isPositive();
    }
}
