package io.meshyauth.server.oauth;

/**
 * The handler of one grant type of the document: it reads its request from the form and decides it.
 *
 * <p>A grant is four files: its value in the document's {@code grant_type} enum, its request type (a
 * {@link TokenRequest}), its handler, and its test. {@link Grants} finds the handler of each value by its name
 * ({@code client_credentials} is {@code ClientCredentialsGrantHandler} in this package) and builds it from the
 * {@link GrantContext}; a value without its handler stops the server's start and fails {@code GrantsTest}. Client
 * authentication, whether the client may use the grant, and the scope's parsing are done before {@link #read}.
 *
 * @param <R> the grant's request type
 */
public interface GrantHandler<R extends TokenRequest> {
  /** The grant's request, from the form: {@code invalid_request} when a parameter it needs is missing or repeated. */
  R read(TokenForm form);

  /** The tokens the grant yields, or an {@code ApiError} saying why not. */
  IssuedTokens handle(R request);

  /** Whether only confidential clients may use the grant, as RFC 6749 section 4.4 says of client_credentials. */
  default boolean confidentialClientsOnly() {
    return false;
  }
}
