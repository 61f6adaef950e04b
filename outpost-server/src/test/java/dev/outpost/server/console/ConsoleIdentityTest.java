package dev.outpost.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.TestServer;
import dev.outpost.server.Tokens;
import dev.outpost.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console on a server with sign-in, in headless Chromium: the page asks for a token and keeps it for the tab;
 * a token with the role admin opens the tables (and the change events, with the token in a header); a token
 * without it is refused, and the console says so.
 */
class ConsoleIdentityTest {
    private static TestServer server;
    private static ChromeDriver driver;
    private static ConsolePage page;

    @BeforeAll
    static void start() {
        driver = Chromium.start(1280, 900);
        server = TestServer.start(TestDatabase.SQLITE, b -> b.authSecret(Tokens.SECRET));
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

    private void signIn(String token) {
        page.open("/tables");
        driver.executeScript("sessionStorage.clear();");
        page.open("/tables");
        page.type(By.id("token"), token);
        page.click(By.cssSelector("#sign-in button[type='submit']"));
    }

    @Test
    void anAdminTokenOpensTheConsoleAndItsLiveTable() {
        String table = TestServer.freshTable("signed");
        String admin = Tokens.of("alice", "admin");
        assertThat(server.send("POST", "/tables/" + table, "{\"id\":\"x1\",\"text\":\"hello\"}",
                Map.of("ZUMO-API-VERSION", "3.0.0", "Authorization", "Bearer " + admin)).status()).isEqualTo(201);

        signIn(admin);
        page.waitForText(By.id("who"), "Signed in as alice");
        page.openTable(table);
        page.waitForCount("of 1");
        assertThat(page.column("text")).containsExactly("hello");
        assertThat(driver.executeScript("return sessionStorage.getItem('outpost.console.token');"))
                .isEqualTo(admin);

        page.click(By.id("sign-out"));
        page.find(By.id("token"));
        assertThat(driver.executeScript("return sessionStorage.getItem('outpost.console.token');")).isNull();
    }

    @Test
    void aTokenWithoutTheAdminRoleIsRefused() {
        signIn(Tokens.of("bob", "user"));
        page.waitForText(By.id("sign-in-problem"), "does not have the role admin");
        assertThat(driver.findElements(By.id("query"))).isEmpty();
    }
}
