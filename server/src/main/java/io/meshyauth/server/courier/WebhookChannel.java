package io.meshyauth.server.courier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Each message POSTed as JSON to {@code courier.webhook.url}: {@code {id, kind, to, username, code, expires,
 * subject, text, account}} ({@code expires} as an ISO-8601 instant), for a receiver that sends text messages (or
 * mail) itself. Any 2xx answer delivers it; anything else, or no answer within the courier's timeout, fails the
 * attempt. Redirects are not followed.
 *
 * <p>Signed as Stripe and Svix sign theirs: {@code Meshy-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>" under courier.webhook.secret>}. A receiver checks it with {@link #verify}: the timestamp within a
 * tolerance of its clock (so that a recorded request cannot be replayed later) and the HMAC compared in constant
 * time. The body's {@code id} is the same for a message sent twice (see {@link Outbox}), so the receiver can
 * recognise a repeat.
 */
public final class WebhookChannel implements Channel {
  public static final String SIGNATURE_HEADER = "Meshy-Signature";
  private static final String HMAC = "HmacSHA256";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CourierSettings.Webhook webhook;
  private final HttpClient client;
  private final Duration timeout;
  private final Clock clock;

  public WebhookChannel(CourierSettings.Webhook webhook, Duration timeout, Clock clock) {
    this.webhook = webhook;
    this.timeout = timeout;
    this.clock = clock;
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void deliver(RenderedMessage rendered) throws DeliveryException {
    var body = body(rendered);
    var request = HttpRequest.newBuilder(webhook.url())
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header(SIGNATURE_HEADER, sign(webhook.secret(), clock.instant().getEpochSecond(), body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    HttpResponse<Void> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw DeliveryException.transientFailure("webhook " + webhook.url() + ": " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DeliveryException.transientFailure("webhook " + webhook.url() + ": interrupted", e);
    }
    if (response.statusCode() / 100 != 2) {
      throw DeliveryException.transientFailure("webhook " + webhook.url() + " answered HTTP " + response.statusCode());
    }
  }

  static byte[] body(RenderedMessage rendered) {
    var message = rendered.message();
    var fields = new LinkedHashMap<String, String>();
    fields.put("id", rendered.id());
    fields.put("kind", message.kind().id());
    fields.put("to", message.to());
    fields.put("username", message.username());
    fields.put("code", message.code());
    fields.put("expires", message.expires().toString());
    fields.put("subject", rendered.subject());
    fields.put("text", rendered.text());
    fields.put("account", message.account());
    try {
      return JSON.writeValueAsBytes(fields);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write message " + rendered.id() + " as JSON", e);
    }
  }

  /** The {@value #SIGNATURE_HEADER} header's value for {@code body} sent at {@code unixSeconds}. */
  public static String sign(String secret, long unixSeconds, byte[] body) {
    return "t=" + unixSeconds + ",v1=" + HexFormat.of().formatHex(hmac(secret, unixSeconds, body));
  }

  /**
   * Whether {@code header} (a {@value #SIGNATURE_HEADER} value) signs {@code body} under {@code secret}, at a time
   * no further than {@code tolerance} from {@code now}: what a receiver checks before it trusts a request. Any of
   * several {@code v1} signatures may match (a sender between two secrets); the comparison takes the same time
   * whatever the bytes.
   */
  public static boolean verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
    if (header == null || secret == null || secret.isEmpty()) {
      return false;
    }
    Long timestamp = null;
    var signatures = new ArrayList<byte[]>();
    for (var part : header.split(",")) {
      var pair = part.trim().split("=", 2);
      if (pair.length != 2) {
        return false;
      }
      try {
        switch (pair[0]) {
          case "t" -> {
            if (timestamp != null) {
              return false;
            }
            timestamp = Long.parseLong(pair[1]);
          }
          case "v1" -> signatures.add(HexFormat.of().parseHex(pair[1]));
          default -> {
            // another scheme's signature: not ours to check
          }
        }
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      return false;
    }
    // compared in seconds, so that no timestamp, however far off, overflows an Instant
    if (timestamp < 0 || Math.abs(now.getEpochSecond() - timestamp) > tolerance.toSeconds()) {
      return false;
    }
    var expected = hmac(secret, timestamp, body);
    boolean matched = false;
    for (var signature : signatures) {
      matched |= MessageDigest.isEqual(expected, signature);
    }
    return matched;
  }

  private static byte[] hmac(String secret, long unixSeconds, byte[] body) {
    try {
      var mac = Mac.getInstance(HMAC);
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC));
      mac.update((unixSeconds + ".").getBytes(StandardCharsets.US_ASCII));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
    }
  }

  @Override
  public String toString() {
    return "WebhookChannel[" + webhook + "]";
  }
}
