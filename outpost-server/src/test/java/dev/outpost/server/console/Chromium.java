package dev.outpost.server.console;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium ({@code chromium} + {@code chromium-driver}) for the console's browser tests, at
 * {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver} (or {@code -Doutpost.chromium},
 * {@code -Doutpost.chromedriver}). Both paths are given to Selenium, so Selenium Manager never runs and nothing is
 * downloaded. Where they are not installed the tests are <b>skipped</b> with a message saying so, unless
 * {@code -Doutpost.requireBrowser=true} is set (as {@code .ci/run} sets it): then they fail.
 */
final class Chromium {
    static final String REQUIRE_PROPERTY = "outpost.requireBrowser";
    private static final Path BINARY = Path.of(System.getProperty("outpost.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("outpost.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /**
     * A new headless browser with a window of the given size.
     *
     * @throws org.opentest4j.TestAbortedException where Chromium is not installed and not required
     */
    static ChromeDriver start(int width, int height) {
        if (!Files.isExecutable(BINARY) || !Files.isExecutable(DRIVER)) {
            String missing = "Chromium not installed (" + BINARY + ", " + DRIVER + "; apt-get install chromium "
                    + "chromium-driver)";
            if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
                fail(missing + ": the console's browser tests are required (-D" + REQUIRE_PROPERTY + "=true)");
            }
            // A class-level skip shows in the report as no tests at all: say why, once per class.
            String message = missing + ": the console's browser tests are skipped";
            System.err.println("[outpost] " + message);
            Assumptions.abort(message);
        }
        // Selenium Manager must not look for (or fetch) anything: both paths are given.
        System.setProperty("SE_OFFLINE", "true");
        ChromeOptions options = new ChromeOptions()
                .setBinary(BINARY.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                        "--disable-extensions", "--no-first-run", "--hide-scrollbars",
                        "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(DRIVER.toString()))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }
}
