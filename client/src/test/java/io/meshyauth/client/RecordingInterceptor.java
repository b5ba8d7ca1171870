package io.meshyauth.client;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;

/**
 * Records every request that reaches the wire: its path, its form fields, its Authorization header and the status
 * that came back.
 */
final class RecordingInterceptor implements Interceptor {
  record Exchange(String path, Map<String, String> form, Optional<String> authorization, int status) {
    String grantType() {
      return form.get("grant_type");
    }
  }

  private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

  OkHttpClient httpClient() {
    return new OkHttpClient.Builder().addInterceptor(this).build();
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    var request = chain.request();
    var response = chain.proceed(request);
    exchanges.add(new Exchange(request.url().encodedPath(), form(request),
        Optional.ofNullable(request.header("Authorization")), response.code()));
    return response;
  }

  List<Exchange> exchanges() {
    return List.copyOf(exchanges);
  }

  List<Integer> statuses() {
    return exchanges.stream().map(Exchange::status).toList();
  }

  List<Exchange> withGrantType(String grantType) {
    return exchanges.stream().filter(e -> grantType.equals(e.grantType())).toList();
  }

  void clear() {
    exchanges.clear();
  }

  /** Fails on a repeated field: the server and Pact both treat that as a different request. */
  private static Map<String, String> form(Request request) throws IOException {
    if (request.body() == null) {
      return Map.of();
    }
    var buffer = new Buffer();
    request.body().writeTo(buffer);
    var body = buffer.readUtf8();
    if (body.isEmpty()) {
      return Map.of();
    }
    return Arrays.stream(body.split("&"))
        .map(pair -> pair.split("=", -1))
        .collect(Collectors.toMap(kv -> decode(kv[0]), kv -> kv.length > 1 ? decode(kv[1]) : "<no value>"));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
