package io.meshyauth.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshyauth.server.web.DocsEndpoint;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The document as the build used it, and the page that renders it: what they answer, byte for byte. */
class DocsTest {
  private static final Pattern PAGE_FILES = Pattern.compile("(?:src|href)=\"([^\"]+)\"");

  private final TestServer server = TestServer.start(StoreKind.SQLITE);
  private final RawHttp raw = new RawHttp(server.server.baseUrl());

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void openApiYamlIsTheDocumentOfTheOpenapiJarAsYaml() throws IOException {
    byte[] packaged;
    try (var in = Objects.requireNonNull(getClass().getClassLoader().getResourceAsStream(DocsEndpoint.DOCUMENT))) {
      packaged = in.readAllBytes();
    }

    var answer = server.http.get("/openapi.yaml");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).isEqualTo("application/yaml");
    assertThat(answer.header("Cache-Control")).isEqualTo("no-cache");
    assertThat(answer.response().body()).isEqualTo(new String(packaged, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void thePageRunsOnlyItsOwnFilesUnderAStrictContentSecurityPolicy() {
    var page = raw.send("GET", "/docs");

    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).isEqualTo("text/html;charset=utf-8");
    var policy = page.header("Content-Security-Policy");
    assertThat(policy).contains("default-src 'none'", "script-src 'self';", "connect-src 'self';",
        "frame-ancestors 'none'").doesNotContain("unsafe-", "http:", "https:", "*");
    assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(page.body()).contains("<div id=\"swagger-ui\">").doesNotContain("<script>", "style=");
  }

  @Test
  void everyFileThePageLoadsIsServedFromTheServerWithTheRightTypeAndCaching() {
    var matcher = PAGE_FILES.matcher(raw.send("GET", "/docs").body());
    var types = Map.of(".js", "text/javascript; charset=utf-8", ".css", "text/css; charset=utf-8",
        ".png", "image/png");
    int files = 0;
    while (matcher.find()) {
      var path = matcher.group(1);
      assertThat(path).as("no CDN").startsWith("/docs/");
      var file = raw.send("GET", path);
      assertThat(file.status()).as(path).isEqualTo(200);
      assertThat(file.header("Content-Type")).as(path).isEqualTo(types.get(path.substring(path.lastIndexOf('.'))));
      assertThat(file.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
      // Swagger UI's files carry its version in their path; ours may change with any release
      assertThat(file.header("Cache-Control")).as(path).isEqualTo(path.startsWith("/docs/swagger-ui/")
          ? "public, max-age=31536000, immutable" : "no-cache");
      files++;
    }
    assertThat(files).isEqualTo(4);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/docs/nothing", "/docs/swagger-ui", "/docs/swagger-ui/0.0.1/swagger-ui.css",
      "/docs/swagger-ui/VERSION/index.html", "/docs/swagger-ui/VERSION/swagger-ui-bundle.js.map",
      "/docs/swagger-ui/VERSION/..%2F..%2Fdocs.js", "/docs/a/b/c/d"})
  void anyOtherPathUnderDocsIsTheJsonNotFound(String path) {
    var answer = raw.send("GET", path.replace("VERSION", swaggerUiVersion()));

    assertThat(answer.status()).isIn(400, 404);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    assertThat(answer.json().get("error").asText()).isIn("not_found", "invalid_request");
  }

  @Test
  void thePageAnswersOtherMethodsWithTheJson405() {
    var answer = raw.send("POST", "/docs", Map.of("Content-Type", "text/plain"), "x");

    assertThat(answer.status()).isEqualTo(405);
    assertThat(answer.header("Allow")).isEqualTo("GET, HEAD");
    assertThat(answer.json().get("error").asText()).isEqualTo("method_not_allowed");
  }

  private String swaggerUiVersion() {
    var matcher = Pattern.compile("/docs/swagger-ui/([^/]+)/").matcher(raw.send("GET", "/docs").body());
    assertThat(matcher.find()).isTrue();
    return matcher.group(1);
  }
}
