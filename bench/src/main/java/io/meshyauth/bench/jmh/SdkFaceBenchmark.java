package io.meshyauth.bench.jmh;

import com.sun.net.httpserver.HttpServer;
import feign.Request;
import feign.Retryer;
import io.meshyauth.client.MeshyClient;
import io.meshyauth.client.MeshyConnection;
import io.meshyauth.client.generated.ApiClient;
import io.meshyauth.client.generated.api.TokenApi;
import io.meshyauth.client.generated.model.TokenResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the SDK face costs over the generated Feign call it wraps: both log in against the same stub answering a
 * canned token response, and the difference of the two is the face. Transport {@code http}: a JDK HTTP server on
 * loopback, over kept-alive connections (with TCP_NODELAY: otherwise its two writes per answer meet the client's
 * delayed ACK and every call takes 40 ms). Transport {@code okhttp-interceptor}: OkHttp answers from an
 * interceptor without a socket, which takes the loopback's scheduling noise out of the difference.
 */
@State(Scope.Benchmark)
@Fork(jvmArgsAppend = "-Dsun.net.httpserver.nodelay=true")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SdkFaceBenchmark {
  private static final byte[] TOKEN_RESPONSE = ("{\"access_token\":\"eyJhbGciOiJFUzI1NiJ9.e30.c2ln\","
      + "\"token_type\":\"Bearer\",\"expires_in\":3600,\"refresh_token\":\"dGhlLXJlZnJlc2gtdG9rZW4\","
      + "\"scope\":\"meshy.api offline_access\"}").getBytes(StandardCharsets.UTF_8);

  @Param({"http", "okhttp-interceptor"})
  public String transport;

  private HttpServer stub;
  private MeshyClient sdk;
  private TokenApi generated;

  @Setup
  public void setUp() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", exchange -> {
      exchange.getRequestBody().readAllBytes();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, TOKEN_RESPONSE.length);
      exchange.getResponseBody().write(TOKEN_RESPONSE);
      exchange.close();
    });
    stub.start();
    var baseUrl = "http://127.0.0.1:" + stub.getAddress().getPort();
    var http = transport.equals("http") ? new OkHttpClient() : new OkHttpClient.Builder()
        .addInterceptor(chain -> new Response.Builder().request(chain.request()).protocol(Protocol.HTTP_1_1)
            .code(200).message("OK").body(ResponseBody.create(TOKEN_RESPONSE, MediaType.get("application/json")))
            .build())
        .build();
    sdk = MeshyClient.builder(Fixtures.ACCOUNT, Fixtures.CLIENT_ID).baseUrl(baseUrl).okHttpClient(http).build();
    // the generated client wired as MeshyClient wires it, minus the face
    var apiClient = new ApiClient().setBasePath(baseUrl);
    apiClient.getFeignBuilder()
        .client(new feign.okhttp.OkHttpClient(http))
        .options(new Request.Options(Duration.ofMillis(http.connectTimeoutMillis()),
            Duration.ofMillis(http.readTimeoutMillis()), http.followRedirects()))
        .retryer(Retryer.NEVER_RETRY);
    generated = apiClient.buildClient(TokenApi.class);
  }

  @TearDown
  public void tearDown() {
    stub.stop(0);
  }

  @Benchmark
  public MeshyConnection sdkLogin() {
    return sdk.loginWithPassword("alice", "correct horse battery staple");
  }

  @Benchmark
  public TokenResponse generatedFeignLogin() {
    return generated.token(Fixtures.ACCOUNT, "password", Fixtures.CLIENT_ID, null, "alice",
        "correct horse battery staple", "meshy.api offline_access", null);
  }
}
