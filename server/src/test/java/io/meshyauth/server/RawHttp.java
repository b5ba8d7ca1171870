package io.meshyauth.server;

import com.atlassian.oai.validator.model.SimpleResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what no HTTP client sends: paths exactly as written (encoded separators, NUL,
 * dot segments, broken escapes), oversized headers, any method.
 */
final class RawHttp {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String host;
  private final int port;

  RawHttp(String baseUrl) {
    var uri = URI.create(baseUrl);
    this.host = uri.getHost();
    this.port = uri.getPort();
  }

  /** Sends the request with {@code Connection: close} and reads the whole answer. */
  Answer send(String method, String path, Map<String, String> headers, String body) {
    var request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
        .append("Host: ").append(host).append(':').append(port).append("\r\n")
        .append("Connection: close\r\n");
    headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
    var bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      request.append("Content-Length: ").append(bytes.length).append("\r\n");
    }
    request.append("\r\n");
    try (var socket = new Socket(host, port)) {
      socket.setSoTimeout(30_000);
      var out = socket.getOutputStream();
      try {
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        // the server may answer and close before it has read an oversized request whole: read what it said
        var answered = readAll(socket.getInputStream());
        if (answered.length == 0) {
          throw e;
        }
        return Answer.parse(answered);
      }
      return Answer.parse(readAll(socket.getInputStream()));
    } catch (IOException e) {
      throw new AssertionError("request failed", e);
    }
  }

  Answer send(String method, String path) {
    return send(method, path, Map.of(), null);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    var all = new ByteArrayOutputStream();
    try {
      in.transferTo(all);
    } catch (IOException e) {
      // the server may reset the connection after answering a request it did not read whole
      if (all.size() == 0) {
        throw e;
      }
    }
    return all.toByteArray();
  }

  record Answer(int status, Map<String, List<String>> headers, String body) {
    static Answer parse(byte[] bytes) {
      var text = new String(bytes, StandardCharsets.ISO_8859_1);
      var split = text.indexOf("\r\n\r\n");
      if (split < 0) {
        throw new AssertionError("not an HTTP answer: " + text);
      }
      var lines = text.substring(0, split).split("\r\n");
      var status = Integer.parseInt(lines[0].split(" ")[1]);
      var headers = new LinkedHashMap<String, List<String>>();
      for (int i = 1; i < lines.length; i++) {
        var colon = lines[i].indexOf(':');
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            List.of(lines[i].substring(colon + 1).trim()));
      }
      var body = new String(bytes, split + 4, bytes.length - split - 4, StandardCharsets.UTF_8);
      if ("chunked".equalsIgnoreCase(String.valueOf(headers.getOrDefault("transfer-encoding", List.of("")).get(0)))) {
        body = dechunk(body);
      }
      return new Answer(status, headers, body);
    }

    private static String dechunk(String chunked) {
      var body = new StringBuilder();
      var at = 0;
      while (true) {
        var end = chunked.indexOf("\r\n", at);
        var size = Integer.parseInt(chunked.substring(at, end).split(";")[0].trim(), 16);
        if (size == 0) {
          return body.toString();
        }
        body.append(chunked, end + 2, end + 2 + size);
        at = end + 2 + size + 2;
      }
    }

    String header(String name) {
      var values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : values.get(0);
    }

    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }

    SimpleResponse asValidatorResponse() {
      var builder = SimpleResponse.Builder.status(status).withBody(body);
      headers.forEach(builder::withHeader);
      return builder.build();
    }
  }
}
