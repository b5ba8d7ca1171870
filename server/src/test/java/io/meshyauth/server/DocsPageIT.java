package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshyauth.server.reliability.JarNode;
import io.meshyauth.server.web.DocsEndpoint;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The {@code /docs} page in a real headless Chromium, against the runnable jar as operators run it: it renders,
 * lists every operation of the document the server serves, and a token request sent through "Try it out" gets 200.
 * Debian's chromium and chromedriver are driven by Selenium at their own paths, so that Selenium Manager downloads
 * nothing. Without them the test is skipped, unless {@code MESHY_REQUIRE_BROWSER=1} (CI) makes that a failure.
 */
class DocsPageIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path SCREENSHOT = Path.of("target", "docs-page.png");
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir
  static Path directory;
  private static JarNode server;
  private static ChromeDriver browser;
  private static OpenAPI document;

  @BeforeAll
  static void serveAndOpenABrowser() throws Exception {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
      var missing = "no " + CHROMIUM + " and " + CHROMEDRIVER + " (Debian's chromium and chromium-driver)";
      if ("1".equals(System.getenv("MESHY_REQUIRE_BROWSER"))) {
        fail(missing + ", and MESHY_REQUIRE_BROWSER=1");
      }
      assumeTrue(false, missing + ": skipped");
    }
    // the user the document's own example logs in as, so that the page's example request is one that succeeds
    var login = passwordExample(parse(new String(Objects.requireNonNull(DocsPageIT.class.getClassLoader()
        .getResourceAsStream(DocsEndpoint.DOCUMENT)).readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
    var store = "jdbc:sqlite:" + directory.resolve("meshy-auth.db");
    var environment = JarNode.cheapHashing();
    JarNode.cli(environment, null, "accounts", "create", login.get("account"), "--client-id",
        login.get("client_id"), "--store", store);
    JarNode.cli(environment, login.get("password"), "users", "create", login.get("account"), login.get("username"),
        "--store", store);
    server = JarNode.start(store, environment);
    document = parse(get(server.baseUrl() + "/openapi.yaml"));

    var options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,2400",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    var logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    var driver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort()
        .build();
    browser = new ChromeDriver(driver, options);
  }

  @AfterAll
  static void close() throws InterruptedException {
    if (browser != null) {
      browser.quit();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void thePageListsEveryOperationAndATokenRequestThroughTryItOutGets200() throws IOException {
    var expected = new ArrayList<String>();
    document.getPaths().forEach((path, item) -> item.readOperationsMap()
        .forEach((method, operation) -> expected.add(method + " " + path)));

    browser.get(server.baseUrl() + "/docs");
    var wait = new WebDriverWait(browser, PATIENCE);
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".opblock"), expected.size()));
    var listed = browser.findElements(By.cssSelector(".opblock")).stream()
        .map(block -> block.findElement(By.cssSelector(".opblock-summary-method")).getText() + " "
            + block.findElement(By.cssSelector(".opblock-summary-path")).getAttribute("data-path"))
        .toList();
    assertThat(listed).containsExactlyInAnyOrderElementsOf(expected);

    var token = tokenOperation();
    var block = browser.findElement(By.id("operations-" + token.getTags().get(0) + "-" + token.getOperationId()));
    block.findElement(By.cssSelector(".opblock-summary-control")).click();
    wait.until(ExpectedConditions.elementToBeClickable(block.findElement(By.cssSelector(".try-out__btn")))).click();
    var execute = wait.until(ExpectedConditions.elementToBeClickable(block.findElement(By.cssSelector(".execute"))));
    execute.click();
    var status = wait.until(ExpectedConditions.visibilityOfNestedElementsLocatedBy(block,
        By.cssSelector(".live-responses-table .response .response-col_status"))).get(0);
    // the whole page, down to the response
    var height = ((Number) browser.executeScript("return document.documentElement.scrollHeight")).intValue();
    browser.manage().window().setSize(new Dimension(1280, Math.min(height, 16_000)));
    Files.write(SCREENSHOT, browser.getScreenshotAs(OutputType.BYTES));

    assertThat(block.findElement(By.cssSelector(".request-url pre")).getText())
        .as("sent to the server that served the page").startsWith(server.baseUrl() + "/");
    assertThat(status.getText()).isEqualTo("200");
    assertThat(block.findElement(By.cssSelector(".live-responses-table .response .response-col_description"))
        .getText())
        .contains("\"access_token\"", "\"refresh_token\"");
    // a file that failed to load, a script error, or a breach of the page's Content-Security-Policy
    assertThat(browser.manage().logs().get(LogType.BROWSER).getAll()).as("the browser's console")
        .filteredOn(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage)
        .isEmpty();
  }

  private static Operation tokenOperation() {
    return document.getPaths().values().stream().flatMap(item -> item.readOperations().stream())
        .filter(operation -> "token".equals(operation.getOperationId())).findFirst().orElseThrow();
  }

  /** The account, client and user of the document's password-grant example. */
  private static Map<String, String> passwordExample(OpenAPI api) {
    var token = api.getPaths().values().stream().flatMap(item -> item.readOperations().stream())
        .filter(operation -> "token".equals(operation.getOperationId())).findFirst().orElseThrow();
    var form = (JsonNode) token.getRequestBody().getContent().values().iterator().next().getExamples()
        .get("password").getValue();
    var account = String.valueOf(token.getParameters().get(0).getExample());
    return Map.of("account", account, "client_id", form.get("client_id").asText(),
        "username", form.get("username").asText(), "password", form.get("password").asText());
  }

  private static OpenAPI parse(String yaml) {
    var options = new ParseOptions();
    options.setResolve(true);
    options.setResolveFully(true);
    var result = new OpenAPIV3Parser().readContents(yaml, null, options);
    assertThat(result.getMessages()).isEmpty();
    return result.getOpenAPI();
  }

  private static String get(String url) throws IOException, InterruptedException {
    var response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
