package io.meshyauth.bench.jmh;

import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.values.Password;
import io.meshyauth.server.values.Scope;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.MultiMap;
import org.eclipse.jetty.util.UrlEncoded;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

/**
 * A typical password grant body decoded as Jetty decodes forms under Javalin (UrlEncoded, UTF-8), then typed
 * with the public pieces the password grant's handler reads it into: its work without the Javalin context and the
 * client's authentication around it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FormParsingBenchmark {
  private static final String BODY = "client_id=demo-public-key&grant_type=password&username=alice%40example.com"
      + "&password=correct%20horse%20battery%20staple&scope=meshy.api%20offline_access";

  /** What the password grant's request holds once read. */
  public record Typed(String clientId, String username, Password password, Scope scope) {
  }

  @Benchmark
  public Typed passwordGrantForm() {
    var form = new MultiMap<String>();
    UrlEncoded.decodeUtf8To(BODY, form);
    var grantType = GrantTypeEnum.fromValue(form.getValue("grant_type"));
    if (grantType != GrantTypeEnum.PASSWORD) {
      throw new IllegalStateException();
    }
    return new Typed(form.getValue("client_id"), form.getValue("username"), Password.of(form.getValue("password")),
        Scope.parse(form.getValue("scope")));
  }
}
