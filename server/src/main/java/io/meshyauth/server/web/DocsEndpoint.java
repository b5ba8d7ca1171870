package io.meshyauth.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.NotFoundResponse;
import io.meshyauth.server.generated.api.DocumentationApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

/**
 * The document the server was built from, at {@code /openapi.yaml}, and a page for people that renders it at
 * {@code /docs}: Swagger UI from its webjar, bundled into the server jar (no CDN), with a script of ours. Only the
 * files the page loads are served, and kept in the jar; any other path under {@code /docs} is the JSON 404 of every
 * unknown path. Swagger UI's files carry its version in their path, so browsers may keep them for good.
 */
public final class DocsEndpoint implements DocumentationApi {
  /** The document as the openapi module packages it: the very file the routes were generated from. */
  public static final String DOCUMENT = "openapi/meshy-auth.yaml";
  static final String PAGE = "/docs";
  private static final String SCRIPT = "/docs/docs.js";
  private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/";
  private static final String WEBJAR_PROPERTIES = "META-INF/maven/org.webjars/swagger-ui/pom.properties";
  /** Swagger UI's files that the page loads (and the licences of what its bundle holds), with their media types. */
  private static final Map<String, String> ASSETS = Map.of(
      "swagger-ui-bundle.js", "text/javascript; charset=utf-8",
      "swagger-ui.css", "text/css; charset=utf-8",
      "favicon-32x32.png", "image/png",
      "swagger-ui-bundle.js.LICENSE.txt", "text/plain; charset=utf-8");
  /**
   * The page runs only its own scripts and styles (no inline script, no eval), talks to this server only, and
   * is framed by nobody; Swagger UI's stylesheet draws its icons from data: URIs.
   */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final String IMMUTABLE = "public, max-age=31536000, immutable";

  private final byte[] document;
  private final String swaggerUiVersion;
  private final byte[] page;
  private final byte[] script;

  public DocsEndpoint() {
    document = read(DOCUMENT);
    swaggerUiVersion = webjarVersion();
    ASSETS.keySet().forEach(file -> Objects.requireNonNull(loader().getResource(asset(file)),
        () -> "the server jar lacks Swagger UI's " + file));
    page = new String(read("docs/index.html"), StandardCharsets.UTF_8).replace("{{version}}", swaggerUiVersion)
        .getBytes(StandardCharsets.UTF_8);
    script = read("docs/docs.js");
  }

  @Override
  public void openApiDocument(Context ctx, OpenApiDocumentParameters parameters) {
    ctx.header("Cache-Control", "no-cache");
    ctx.contentType("application/yaml").result(document);
  }

  /** The page and its files: people's, so not in the document. */
  public void register(RoutesConfig routes) {
    routes.get(PAGE, ctx -> {
      ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      serve(ctx, "text/html; charset=utf-8", "no-cache").result(page);
    });
    routes.get(SCRIPT, ctx -> serve(ctx, "text/javascript; charset=utf-8", "no-cache").result(script));
    routes.get(PAGE + "/swagger-ui/{version}/{file}", ctx -> {
      var type = ASSETS.get(ctx.pathParam("file"));
      if (type == null || !swaggerUiVersion.equals(ctx.pathParam("version"))) {
        throw new NotFoundResponse();
      }
      serve(ctx, type, IMMUTABLE).result(loader().getResourceAsStream(asset(ctx.pathParam("file"))));
    });
  }

  private static Context serve(Context ctx, String contentType, String cacheControl) {
    ctx.header("Cache-Control", cacheControl);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    return ctx.contentType(contentType);
  }

  private String asset(String file) {
    return WEBJAR + swaggerUiVersion + "/" + file;
  }

  private static String webjarVersion() {
    try (var in = open(WEBJAR_PROPERTIES)) {
      var properties = new Properties();
      properties.load(in);
      return Objects.requireNonNull(properties.getProperty("version"), WEBJAR_PROPERTIES + " names no version");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(String resource) {
    try (var in = open(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) {
    return Objects.requireNonNull(loader().getResourceAsStream(resource), () -> "the server jar lacks " + resource);
  }

  private static ClassLoader loader() {
    return DocsEndpoint.class.getClassLoader();
  }
}
