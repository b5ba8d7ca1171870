package io.meshyauth.server.oauth;

import io.meshyauth.server.errors.ApiError;
import io.meshyauth.server.generated.api.TokenApi.TokenParameters;
import io.meshyauth.server.generated.model.TokenForm.GrantTypeEnum;
import io.meshyauth.server.routing.FormValues;
import io.meshyauth.server.store.Account;
import io.meshyauth.server.values.Scope;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The token endpoint's grants: the handler of every value of the document's {@code grant_type}, each found by its
 * name (see {@link GrantHandler}). A request is decided in one order whatever its grant: the grant type, the client,
 * whether the client may use the grant, the scope's shape, then the grant's own parameters and rules.
 */
public final class Grants {
  private final Map<String, GrantHandler<?>> handlers;
  private final ClientAuthenticator clients;

  Grants(Map<String, GrantHandler<?>> handlers, ClientAuthenticator clients) {
    this.handlers = Collections.unmodifiableMap(new LinkedHashMap<>(handlers));
    this.clients = clients;
  }

  /** The handler of each grant type the document lists, built from {@code context}. */
  public static Grants of(GrantContext context, ClientAuthenticator clients) {
    return new Grants(Arrays.stream(GrantTypeEnum.values()).map(GrantTypeEnum::getValue)
        .collect(Collectors.toMap(type -> type, type -> handlerOf(type, context), (a, b) -> a, LinkedHashMap::new)),
        clients);
  }

  /**
   * The class that handles {@code grantType}: {@code refresh_token} is {@code RefreshTokenGrantHandler}; a grant
   * named by a URN is named by its last part, so RFC 8693's {@code urn:ietf:params:oauth:grant-type:token-exchange}
   * is {@code TokenExchangeGrantHandler}.
   */
  static String handlerName(String grantType) {
    var name = Arrays.stream(grantType.substring(grantType.lastIndexOf(':') + 1).split("[_-]"))
        .filter(word -> !word.isEmpty())
        .map(word -> word.substring(0, 1).toUpperCase(Locale.ROOT) + word.substring(1))
        .collect(Collectors.joining());
    return Grants.class.getPackageName() + "." + name + "GrantHandler";
  }

  static GrantHandler<?> handlerOf(String grantType, GrantContext context) {
    var name = handlerName(grantType);
    try {
      return Class.forName(name).asSubclass(GrantHandler.class).getConstructor(GrantContext.class)
          .newInstance(context);
    } catch (ClassNotFoundException | ClassCastException | NoSuchMethodException e) {
      throw new IllegalStateException("the document's grant type " + grantType + " has no handler: write " + name
          + " implementing GrantHandler, with a public constructor taking a GrantContext", e);
    } catch (InstantiationException | IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("the handler " + name + " could not be built", e);
    }
  }

  /** The grant types served, in the document's order. */
  public Set<String> grantTypes() {
    return handlers.keySet();
  }

  /** @param account the request's account as found, empty when there is no account of the path's name */
  public IssuedTokens handle(Optional<Account> account, ClientCredentials credentials, TokenParameters parameters,
      String clientAddress) {
    var grantType = FormValues.required(parameters.grant_type());
    var handler = handlers.get(grantType);
    if (handler == null) {
      throw ApiError.unsupportedGrantType().because("grant type not in the document");
    }
    var client = clients.authenticate(account, credentials, clientAddress);
    if (!client.client().allowsGrant(grantType)) {
      throw ApiError.unauthorizedClient("The client is not allowed this grant type.")
          .because("a confidential client not given " + grantType);
    }
    if (handler.confidentialClientsOnly() && !client.confidential()) {
      throw ApiError.unauthorizedClient("The client is not allowed this grant type.")
          .because(grantType + " is for confidential clients");
    }
    var scope = FormValues.optional(parameters.scope()).map(Scope::parse);
    return decide(handler, new TokenForm(parameters, client, scope, clientAddress));
  }

  private static <R extends TokenRequest> IssuedTokens decide(GrantHandler<R> handler, TokenForm form) {
    return handler.handle(handler.read(form));
  }
}
