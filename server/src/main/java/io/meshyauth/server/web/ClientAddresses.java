package io.meshyauth.server.web;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.jetty.http.QuotedCSV;
import org.eclipse.jetty.util.InetAddressSet;

/**
 * The address a request comes from, which the limits count. Behind a reverse proxy every connection comes
 * from the proxy, so the proxy's {@code Forwarded} (RFC 7239) or {@code X-Forwarded-For} header names the
 * client, but only a proxy may be believed: the headers are read only when the connection comes from one
 * of the trusted proxies, and then from the right, skipping trusted hops, to the first address a trusted
 * proxy saw. Anything to the left of that was written by the client and is ignored.
 */
public final class ClientAddresses {
  private static final String ATTRIBUTE = "meshy.client-address";

  private final Predicate<InetAddress> trusted;
  private final boolean anyTrusted;

  private ClientAddresses(Predicate<InetAddress> trusted, boolean anyTrusted) {
    this.trusted = trusted;
    this.anyTrusted = anyTrusted;
  }

  /** Trusts the proxies in these CIDR blocks or addresses ({@code 10.0.0.0/8}, {@code ::1}); none when empty. */
  public static ClientAddresses trusting(List<String> proxies) {
    var set = new InetAddressSet();
    for (var proxy : proxies) {
      if (!isAddressPattern(proxy)) {
        throw new IllegalArgumentException("not an address or CIDR block: " + proxy);
      }
      set.add(proxy);
    }
    return new ClientAddresses(set, !set.isEmpty());
  }

  /** Checks a trusted-proxy entry, so that a bad setting stops the server at start. */
  public static boolean isAddressPattern(String pattern) {
    var slash = pattern.indexOf('/');
    var address = slash < 0 ? pattern : pattern.substring(0, slash);
    if (parseLiteral(address).isEmpty()) {
      return false;
    }
    if (slash < 0) {
      return true;
    }
    try {
      int bits = Integer.parseInt(pattern.substring(slash + 1));
      return bits >= 0 && bits <= (address.contains(":") ? 128 : 32);
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** The client's address; computed once per request. */
  public String of(Context ctx) {
    String known = ctx.attribute(ATTRIBUTE);
    if (known != null) {
      return known;
    }
    var address = resolve(ctx);
    ctx.attribute(ATTRIBUTE, address);
    return address;
  }

  private String resolve(Context ctx) {
    var peer = ctx.req().getRemoteAddr();
    if (!anyTrusted || !isTrusted(peer)) {
      return peer;
    }
    var forwarded = forwardedFor(ctx);
    var client = peer;
    for (int i = forwarded.size() - 1; i >= 0; i--) {
      var hop = parseLiteral(forwarded.get(i));
      if (hop.isEmpty()) {
        // an obfuscated or broken entry: the last hop we could trust is all we know
        return client;
      }
      client = hop.get().getHostAddress();
      if (!trusted.test(hop.get())) {
        return client;
      }
    }
    return client;
  }

  private boolean isTrusted(String address) {
    return parseLiteral(address).filter(trusted).isPresent();
  }

  /** The addresses the proxies list, leftmost first; RFC 7239's header wins over the de-facto one. */
  private static List<String> forwardedFor(Context ctx) {
    var hops = new ArrayList<String>();
    var forwarded = ctx.req().getHeaders("Forwarded");
    if (forwarded.hasMoreElements()) {
      var elements = new QuotedCSV(false);
      forwarded.asIterator().forEachRemaining(elements::addValue);
      for (var element : elements.getValues()) {
        hops.add(forParameter(element));
      }
      return hops;
    }
    var xff = new QuotedCSV(false);
    ctx.req().getHeaders("X-Forwarded-For").asIterator().forEachRemaining(xff::addValue);
    for (var value : xff.getValues()) {
      hops.add(value.trim());
    }
    return hops;
  }

  /** {@code for=192.0.2.1;proto=https} or {@code for="[2001:db8::1]:4711"} -> the address; "" when absent. */
  private static String forParameter(String element) {
    for (var pair : element.split(";")) {
      var equals = pair.indexOf('=');
      if (equals > 0 && pair.substring(0, equals).trim().toLowerCase(Locale.ROOT).equals("for")) {
        var value = pair.substring(equals + 1).trim();
        if (value.startsWith("\"") && value.endsWith("\"") && value.length() >= 2) {
          value = value.substring(1, value.length() - 1);
        }
        if (value.startsWith("[")) {
          var close = value.indexOf(']');
          return close > 0 ? value.substring(1, close) : "";
        }
        var colon = value.indexOf(':');
        return colon > 0 && value.indexOf(':', colon + 1) < 0 ? value.substring(0, colon) : value;
      }
    }
    return "";
  }

  /**
   * An IPv4 or IPv6 literal, never a host name: nothing a client sends may make the server resolve a name.
   */
  private static Optional<InetAddress> parseLiteral(String text) {
    if (text.isEmpty() || text.length() > 45 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0
        || c == '.' || c == ':')) {
      return Optional.empty();
    }
    if (!text.contains(":") && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(text));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
