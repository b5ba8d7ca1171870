package io.meshyauth.bench;

import io.javalin.Javalin;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The floor under a token request: a server on meshy-auth's HTTP stack (Javalin on Jetty, as meshy-auth serves; or
 * Jetty's core handler API without the servlet layer) that reads each POST's form and answers a fixed token response
 * shaped as meshy-auth's, with no grant work at all. bench/run --floor times its start to the first answer and loads
 * it beside meshy-auth: what it costs is what the stack costs before any token is checked, stored or signed.
 *
 * <p>A plain main, not a Bench command: started with Javalin's and Jetty's jars alone on its class path, its start
 * is the stack's, not the bench tools'.
 */
public final class FloorServer {
  private FloorServer() {
  }

  /** {@code FloorServer javalin|jetty PORT}: serves on 127.0.0.1 until stopped. */
  public static void main(String[] args) throws Exception {
    if (args.length != 2 || !(args[0].equals("javalin") || args[0].equals("jetty"))) {
      System.err.println("usage: FloorServer javalin|jetty PORT");
      System.exit(2);
    }
    var port = Integer.parseInt(args[1]);
    var body = tokenResponse();
    if (args[0].equals("javalin")) {
      javalin(body, port);
    } else {
      jetty(body, port);
    }
    System.out.println("floor (" + args[0] + ") listening on http://127.0.0.1:" + port);
  }

  /** As Javalin routes a token request for meshy-auth: the form read through the servlet API, JSON written back. */
  private static void javalin(byte[] body, int port) {
    Javalin.create(javalin -> {
      javalin.startup.showJavalinBanner = false;
      javalin.jetty.host = "127.0.0.1";
      javalin.jetty.port = port;
      javalin.jetty.modifyServer(server -> fewerReservedThreads(server));
      javalin.routes.post("/{account}/connect/token", ctx -> {
        if (ctx.formParam("grant_type") == null) {
          ctx.status(400);
        }
        ctx.header("Cache-Control", "no-store").contentType("application/json").result(body);
      });
    }).start();
  }

  /** Jetty's core handler API, no servlet layer: the body read whole, the same answer written. */
  private static void jetty(byte[] body, int port) throws Exception {
    var server = new Server(new QueuedThreadPool());
    fewerReservedThreads(server);
    var http = new HttpConfiguration();
    http.setSendServerVersion(false);
    var connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback) throws Exception {
        var form = Content.Source.asString(request, StandardCharsets.UTF_8);
        response.setStatus(form.contains("grant_type=") ? 200 : 400);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
      }
    });
    server.start();
  }

  /**
   * meshy-auth's setting on two cores, as MeshyAuthServer makes it: the floor is measured as the server runs. A copy,
   * not a call, because the floor's class path holds Javalin's and Jetty's jars alone, not the server's.
   */
  private static void fewerReservedThreads(Server server) {
    if (Runtime.getRuntime().availableProcessors() <= 2 && server.getThreadPool() instanceof QueuedThreadPool pool) {
      pool.setReservedThreads(0);
    }
  }

  /**
   * The shape of meshy-auth's answer: a JWT the size of an ES256 one, a 43-character refresh token; 710 bytes, 69
   * fewer than meshy-auth's answer to the bench's logins (its claims are longer than this payload).
   */
  private static byte[] tokenResponse() {
    var random = new SecureRandom();
    var jwt = base64(random, 75) + "." + base64(random, 274) + "." + base64(random, 64);
    var refresh = base64(random, 32);
    return ("{\"access_token\":\"" + jwt + "\",\"expires_in\":3600,\"token_type\":\"Bearer\",\"refresh_token\":\""
        + refresh + "\",\"scope\":\"meshy.api offline_access\"}").getBytes(StandardCharsets.UTF_8);
  }

  private static String base64(SecureRandom random, int bytes) {
    var value = new byte[bytes];
    random.nextBytes(value);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(value);
  }
}
