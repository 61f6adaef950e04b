package dev.outpost.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console in headless Chromium against a real server (SQLite, no sign-in, so this machine's browser may use
 * it): the tables list; browse a table with a filter, an order and pages; edit, insert, delete and undelete a record; see another
 * client's insert appear without a reload; a stale edit shows the conflict with both versions.
 */
class ConsoleTest {
    private static TestServer server;
    private static ChromeDriver driver;
    private static ConsolePage page;

    @BeforeAll
    static void start() {
        driver = Chromium.start(1280, 900);
        server = TestServer.start(TestDatabase.SQLITE);
        page = new ConsolePage(driver, server.baseUrl());
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    private static Reply insert(String table, String id, String text, boolean complete) {
        Reply reply = server.v3("POST", "/tables/" + table, "{\"id\":\"" + id + "\",\"text\":\"" + text
                + "\",\"complete\":" + complete + "}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply;
    }

    @Test
    void browsingFiltersOrdersAndPages() {
        String table = TestServer.freshTable("browse");
        for (int i = 1; i <= 25; i++) {
            insert(table, String.format("r%02d", i), String.format("item %02d", i), i % 2 == 0);
        }
        page.openTable(table);
        page.waitForCount("Rows 1–20 of 25");

        page.click(By.id("next"));
        page.waitForCount("Rows 21–25 of 25");
        assertThat(page.driver().getCurrentUrl()).contains("skip=20");

        page.query("complete eq true", "text desc");
        page.waitForCount("Rows 1–12 of 12");
        assertThat(page.column("text")).startsWith("item 24", "item 22");

        page.query("complete eq nonsense", "");
        page.waitForText(By.id("message"), "The query was refused");
    }

    @Test
    void theTablesListShowsEachTableWithItsSchemaAndOpensIt() {
        String table = TestServer.freshTable("listed");
        insert(table, "l1", "listed", true);
        page.open("/tables");
        page.click(By.linkText(table));
        page.waitForText(By.id("table-title"), table);
        page.waitForCount("of 1");
        page.click(By.cssSelector("#schema summary"));
        assertThat(page.text(By.id("schema"))).contains("dynamic", "text string", "complete boolean");
    }

    @Test
    void editInsertDeleteAndUndeleteGoThroughTheTableApi() {
        String table = TestServer.freshTable("crud");
        insert(table, "a1", "milk", false);
        page.openTable(table);
        page.waitForCount("of 1");

        page.openRecord("a1");
        page.type(By.id("field-text"), "oat milk");
        page.click(By.id("field-complete"));
        page.click(By.id("save"));
        page.waitUntilDialogClosed();
        page.until(d -> page.column("text").contains("oat milk"));
        assertThat(server.v3("GET", "/tables/" + table + "/a1", null).json().get("complete").asBoolean()).isTrue();

        page.click(By.id("new-record"));
        page.type(By.id("new-id"), "b2");
        page.type(By.id("field-text"), "bread");
        page.click(By.id("save"));
        page.waitUntilDialogClosed();
        page.waitForCount("of 2");
        assertThat(server.v3("GET", "/tables/" + table + "/b2", null).json().get("text").asText()).isEqualTo("bread");

        page.openRecord("a1");
        page.click(By.id("delete"));
        page.waitUntilDialogClosed();
        page.waitForCount("of 1");
        assertThat(server.v3("GET", "/tables/" + table + "/a1", null).status()).isEqualTo(410);

        page.click(By.id("include-deleted"));
        page.click(By.id("apply"));
        page.waitForCount("of 2");
        assertThat(page.text(By.cssSelector("#rows tr.deleted[data-id='a1']"))).contains("deleted");
        page.openRecord("a1");
        page.click(By.id("undelete"));
        page.waitUntilDialogClosed();
        page.until(d -> d.findElements(By.cssSelector("#rows tr.deleted")).isEmpty());
        assertThat(server.v3("GET", "/tables/" + table + "/a1", null).status()).isEqualTo(200);
    }

    @Test
    void anotherClientsChangeAppearsWithoutAReload() {
        String table = TestServer.freshTable("live");
        insert(table, "first", "one", false);
        page.openTable(table);
        page.waitForCount("of 1");
        driver.executeScript("window.stillTheSamePage = true;");

        insert(table, "second", "from another client", false);

        page.waitForCount("of 2");
        assertThat(page.column("text")).contains("from another client");
        assertThat(driver.executeScript("return window.stillTheSamePage === true;")).isEqualTo(true);
    }

    @Test
    void aStaleEditShowsTheConflictAndLetsTheOperatorChoose() {
        String table = TestServer.freshTable("stale");
        insert(table, "c1", "original", false);
        page.openTable(table);
        page.openRecord("c1");

        Reply other = server.v3("PUT", "/tables/" + table + "/c1", "{\"id\":\"c1\",\"text\":\"theirs\"}");
        assertThat(other.status()).as(other.toString()).isEqualTo(200);
        page.type(By.id("field-text"), "mine");
        page.click(By.id("save"));

        String conflict = page.text(By.id("conflict"));
        assertThat(conflict).contains("Conflict", "\"mine\"", "\"theirs\"");
        page.click(By.id("take-server"));
        assertThat(page.find(By.id("field-text")).getAttribute("value")).isEqualTo("theirs");

        server.v3("PUT", "/tables/" + table + "/c1", "{\"id\":\"c1\",\"text\":\"theirs again\"}");
        page.type(By.id("field-text"), "mine");
        page.click(By.id("save"));
        page.waitForText(By.id("conflict"), "theirs again");
        page.click(By.id("overwrite"));
        page.waitUntilDialogClosed();
        assertThat(server.v3("GET", "/tables/" + table + "/c1", null).json().get("text").asText())
                .isEqualTo("mine");
        assertThat(Map.of("text", page.column("text"))).containsEntry("text", java.util.List.of("mine"));
    }
}
