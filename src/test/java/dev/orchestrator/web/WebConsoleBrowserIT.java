package dev.orchestrator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real browser: Debian's Chromium driven by Debian's chromedriver through
 * Selenium (driver and browser given by path: nothing is downloaded). A run waits at production's
 * approval gate; alice logs in, approves and sees the run finish live; a viewer sees no buttons;
 * the starter is told why they cannot approve; a host named as an HTML injection and a step
 * printing a script tag render as text. Screenshots of the pages go to target/screenshots/ (the
 * README's come from there).
 */
class WebConsoleBrowserIT {
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  @TempDir Path dir;
  ConsoleFixture f;

  /**
   * One browser for the class (starting Chromium and chromedriver took seconds per test); each test
   * gets its own run and console (a fresh {@link ConsoleFixture} on a new port) and a browser reset
   * to a blank page, no cookies and the default window size (checked before the test starts).
   */
  static ChromeDriver browser;

  static Path profile;

  @BeforeAll
  static void startBrowser() throws IOException {
    boolean there = Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    if (!there && "true".equals(System.getenv("CI"))) {
      fail("chromium and chromium-driver are missing: .ci/run installs them");
    }
    assumeTrue(there, "apt-get install chromium chromium-driver to run the browser tests");
    profile = Files.createTempDirectory("console-browser");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile.resolve("chromium-profile"));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withLogFile(profile.resolve("chromedriver.log").toFile())
            .build();
    browser = new ChromeDriver(service, options);
  }

  @AfterAll
  static void stopBrowser() throws IOException {
    if (browser != null) {
      browser.quit();
    }
    if (profile != null) {
      try (var files = Files.walk(profile)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @BeforeEach
  void start() throws IOException {
    // a browser as a new one: no page, no session cookie of an earlier test, the default size
    // (the browser's cookies of every site: a cookie does not depend on the port, so an earlier
    // console's session on 127.0.0.1 would reach this one's)
    browser.get("about:blank");
    browser.executeCdpCommand("Network.clearBrowserCookies", Map.of());
    browser.manage().window().setSize(new Dimension(1280, 900));
    assertEquals(List.of(), cookies(), "no cookie left by an earlier test");
    assertEquals(new Dimension(1280, 900), browser.manage().window().getSize());
    f = new ConsoleFixture(dir);
  }

  @AfterEach
  void stop() {
    if (f != null) {
      f.close();
    }
  }

  WebDriverWait waiting(int seconds) {
    return new WebDriverWait(browser, Duration.ofSeconds(seconds));
  }

  void login(String name) {
    browser.get(f.url("/login"));
    browser.findElement(By.id("name")).sendKeys(name);
    browser.findElement(By.id("password")).sendKeys(ConsoleFixture.PASSWORD);
    browser.findElement(By.id("login")).click();
    waiting(10).until(ExpectedConditions.presenceOfElementLocated(By.id("who")));
    // (the session is a cookie, as the reset before each test, which clears them, assumes)
    assertFalse(cookies().isEmpty(), "logged in with a session cookie");
  }

  /** Every cookie the browser holds, of any site. */
  static List<?> cookies() {
    return (List<?>) browser.executeCdpCommand("Network.getAllCookies", Map.of()).get("cookies");
  }

  /**
   * Opens the run's page once its script has shown the API's data (it then changes only on news).
   */
  void openRun() {
    browser.get(f.url("/runs/" + f.runId));
    waiting(10)
        .until(
            ExpectedConditions.attributeToBeNotEmpty(
                browser.findElement(By.id("run")), "data-rendered"));
  }

  void screenshot(String name) throws IOException {
    Path out = Path.of("target", "screenshots");
    Files.createDirectories(out);
    File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
    Files.copy(png.toPath(), out.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  void noAlert() {
    try {
      browser.switchTo().alert();
      fail("an alert opened: injected script ran");
    } catch (NoAlertPresentException expected) {
      // no script ran
    }
  }

  @Test
  void anApproverApprovesInTheBrowserAndSeesTheRunFinishLive() throws IOException {
    // given alice, an approver who did not start the run
    login("alice");
    browser.get(f.url("/"));
    assertTrue(browser.findElement(By.id("runs")).getText().contains(f.runId));
    screenshot("runs");
    openRun();
    assertEquals("paused", browser.findElement(By.id("status")).getText());
    WebElement gate = browser.findElement(By.cssSelector("#approvals .gate.waiting"));
    assertTrue(gate.getText().contains("QA looks good: promote to production?"), gate.getText());
    // and the hostile host name is text, not an image
    List<WebElement> hosts = browser.findElements(By.cssSelector("#matrix th.host"));
    assertTrue(
        hosts.stream().anyMatch(h -> h.getText().equals(ConsoleFixture.HOSTILE_HOST)),
        "host name shown as text");
    assertEquals(0, browser.findElements(By.cssSelector("#matrix img")).size());
    screenshot("run-waiting");
    // when she approves with a comment
    browser.findElement(By.id("comment")).sendKeys("QA checked by hand");
    browser.findElement(By.id("approve")).click();
    // then the page follows the run to its end without a reload
    waiting(90).until(ExpectedConditions.textToBe(By.id("status"), "succeeded"));
    assertEquals(0, browser.findElements(By.id("approve")).size(), "no gate waits any more");
    assertEquals(
        3,
        browser.findElements(By.cssSelector("#matrix td.c-succeeded")).size() / 2,
        "both steps succeeded on the three hosts");
    assertEquals(0, browser.findElements(By.cssSelector("#matrix img")).size());
    noAlert();
    screenshot("run-succeeded");
  }

  @Test
  void theRunPageFitsAPhone() throws IOException {
    // given a phone-sized window (390 x 844 CSS pixels, a common phone)
    browser.manage().window().setSize(new Dimension(390, 844));
    login("alice");
    openRun();
    // then nothing makes the page wider than the screen (the matrix scrolls inside its box)
    Object overflow =
        ((JavascriptExecutor) browser)
            .executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertEquals(0L, overflow, "the page scrolls sideways on a phone");
    assertTrue(browser.findElement(By.id("approve")).isDisplayed());
    screenshot("run-phone");
  }

  @Test
  void theRunsListFollowsARunApprovedElsewhere() throws Exception {
    // given vera watching the runs list
    login("vera");
    browser.get(f.url("/"));
    assertTrue(browser.findElement(By.id("runs")).getText().contains("paused"));
    // when alice approves with her token from elsewhere (CI, a script)
    var r =
        new ConsoleClient(f.console.url())
            .post(
                ConsoleClient.Caller.token(f.token),
                "/api/v1/runs/" + f.runId + "/approve",
                "{}",
                false);
    assertEquals(202, r.statusCode(), r.body());
    // then the list shows the run succeeded without a reload
    waiting(90)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#runs tbody"), "succeeded"));
    assertTrue(
        browser.findElement(By.cssSelector("#runs .progress")).getText().contains("3 of 3"),
        browser.findElement(By.id("runs")).getText());
  }

  @Test
  void aViewerSeesNoButtons() throws IOException {
    login("vera");
    openRun();
    for (String id : List.of("approve", "reject", "resume", "abort", "abort-rollback")) {
      assertTrue(browser.findElements(By.id(id)).isEmpty(), "a viewer sees no " + id);
    }
    assertTrue(browser.findElement(By.cssSelector(".why-not")).getText().contains("role approver"));
    assertTrue(browser.findElements(By.linkText("Plan")).isEmpty(), "no plan view for viewers");
    screenshot("run-viewer");
  }

  @Test
  void theStarterIsToldWhyTheyCannotApprove() {
    login(ConsoleFixture.STARTER);
    openRun();
    assertTrue(browser.findElements(By.id("approve")).isEmpty());
    assertFalse(browser.findElements(By.id("reject")).isEmpty(), "the starter may still reject");
    assertTrue(
        browser
            .findElement(By.cssSelector(".why-not"))
            .getText()
            .contains("distinct_from_starter"));
  }

  @Test
  void aStepPrintingAScriptTagShowsItAsText() throws IOException {
    login("alice");
    openRun();
    String href =
        browser.findElement(By.cssSelector("#matrix td.c-succeeded a")).getAttribute("href");
    browser.get(href);
    waiting(10)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("log"), ConsoleFixture.SCRIPT_OUTPUT));
    assertTrue(
        browser.findElement(By.id("log")).getText().contains("<img src=x onerror=alert(1)>"));
    Object scripts =
        ((JavascriptExecutor) browser)
            .executeScript("return document.querySelectorAll('#log script, #log img').length");
    assertEquals(0L, scripts);
    noAlert();
    screenshot("log");
  }
}
