package io.meshyauth.server.web;

import io.javalin.http.Context;
import io.meshyauth.server.generated.api.UsersApi;
import io.meshyauth.server.generated.model.RegisteredUser;
import io.meshyauth.server.limit.AddressLimiter;
import io.meshyauth.server.users.AnonymousRegistrationHandler;

public final class UsersEndpoint implements UsersApi {
  private final AddressLimiter registrationsPerAddress;
  private final ClientAddresses addresses;
  private final AnonymousRegistrationHandler registration;

  public UsersEndpoint(AddressLimiter registrationsPerAddress, ClientAddresses addresses,
      AnonymousRegistrationHandler registration) {
    this.registrationsPerAddress = registrationsPerAddress;
    this.addresses = addresses;
    this.registration = registration;
  }

  @Override
  public RegisteredUser registerAnonymousUser(Context ctx, RegisterAnonymousUserParameters parameters) {
    var account = AccountScope.of(ctx);
    if (account.isPresent()) {
      // every attempt counts, so that no address can fill the store with users
      registrationsPerAddress.acquire(addresses.of(ctx));
    }
    var user = registration.register(account, parameters.body().getUsername());
    return new RegisteredUser()
        .id(user.id())
        .username(user.username())
        .anonymous(user.anonymous())
        .isActive(user.active());
  }
}
