package dev.outpost.server.console;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The console in a browser, as a test drives it: by the ids and labels the page gives its controls. */
final class ConsolePage {
    private final ChromeDriver driver;
    private final String baseUrl;
    private final WebDriverWait wait;

    ConsolePage(ChromeDriver driver, String baseUrl) {
        this.driver = driver;
        this.baseUrl = baseUrl;
        this.wait = new WebDriverWait(driver, Duration.ofSeconds(10));
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Opens {@code /console#<hash>} afresh (a new page load). */
    ConsolePage open(String hash) {
        driver.get("about:blank");
        driver.get(baseUrl + "/console#" + hash);
        return this;
    }

    /** Opens a table and waits until its live updates are connected and its rows are shown. */
    ConsolePage openTable(String table) {
        open("/table/" + table);
        waitForText(By.id("live"), "Live");
        until(d -> !d.findElement(By.id("count")).getText().isEmpty());
        return this;
    }

    WebElement find(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    /** Clicks the element, found afresh if a redraw replaced it between finding and clicking. */
    void click(By by) {
        wait.until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (element == null) {
                return false;
            }
            try {
                element.click();
                return true;
            } catch (StaleElementReferenceException e) {
                return false;
            }
        });
    }

    void type(By by, String text) {
        WebElement field = find(by);
        field.clear();
        field.sendKeys(text);
    }

    String text(By by) {
        return wait.until(d -> {
            try {
                return ExpectedConditions.visibilityOfElementLocated(by).apply(d).getText();
            } catch (StaleElementReferenceException | NullPointerException e) {
                return null;
            }
        });
    }

    void waitForText(By by, String text) {
        wait.until(ExpectedConditions.textToBePresentInElementLocated(by, text));
    }

    <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition::apply);
    }

    String count() {
        return text(By.id("count"));
    }

    /**
     * The text of a column in every row shown, top to bottom, read in one script: the rows may be redrawn at any
     * moment by a change event, which would leave element references stale.
     */
    List<String> column(String column) {
        Object texts = driver.executeScript("return Array.from(document.querySelectorAll("
                + "\"#rows td[data-column='\" + arguments[0] + \"']\"), cell => cell.textContent);", column);
        return ((List<?>) texts).stream().map(String::valueOf).toList();
    }

    /** Opens a record's dialog from its row. */
    void openRecord(String id) {
        click(By.cssSelector("#rows tr[data-id='" + id + "'] button.link"));
        find(By.id("record"));
    }

    void query(String filter, String orderby) {
        type(By.id("filter"), filter);
        type(By.id("orderby"), orderby);
        click(By.id("apply"));
    }

    void waitForCount(String text) {
        waitForText(By.id("count"), text);
    }

    void waitUntilDialogClosed() {
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("record")));
    }
}
