// The generated Go client against the real server: what a MeshyDB app in Go does.
// Environment: MESHY_URL, MESHY_ACCOUNT, MESHY_CLIENT_ID, MESHY_USERNAME, MESHY_PASSWORD, and the confidential
// client's MESHY_SERVICE_CLIENT_ID and MESHY_SERVICE_SECRET (clients/run sets them).
package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	meshyauth "meshy-auth.invalid/clients/go"
)

const (
	scope        = "meshy.api offline_access"
	serviceScope = "meshy.api"
)

var (
	ctx      = context.Background()
	account  = os.Getenv("MESHY_ACCOUNT")
	clientID = os.Getenv("MESHY_CLIENT_ID")
	username = os.Getenv("MESHY_USERNAME")
	password = os.Getenv("MESHY_PASSWORD")
	client   *meshyauth.APIClient
	passed   int
	failed   int

	// the confidential client
	serviceID     = os.Getenv("MESHY_SERVICE_CLIENT_ID")
	serviceSecret = os.Getenv("MESHY_SERVICE_SECRET")
)

func check(name string, body func() error) {
	if err := body(); err != nil {
		failed++
		fmt.Printf("FAIL %s: %v\n", name, err)
		return
	}
	passed++
	fmt.Printf("ok   %s\n", name)
}

func expect(condition bool, format string, args ...any) error {
	if !condition {
		return fmt.Errorf(format, args...)
	}
	return nil
}

// refusal is the typed error of a refused call: the generated client decodes the body into the document's model.
func refusal(err error) (meshyauth.GenericOpenAPIError, error) {
	var apiErr *meshyauth.GenericOpenAPIError
	if errors.As(err, &apiErr) {
		return *apiErr, nil
	}
	var plain meshyauth.GenericOpenAPIError
	if errors.As(err, &plain) {
		return plain, nil
	}
	if err == nil {
		return plain, errors.New("the call succeeded")
	}
	return plain, err
}

func login(user, secret string) (*meshyauth.TokenResponse, *http.Response, error) {
	return client.TokenAPI.Token(ctx, account).ClientId(clientID).GrantType("password").
		Username(user).Password(secret).Scope(scope).Execute()
}

func contains(values []string, value string) bool {
	for _, v := range values {
		if v == value {
			return true
		}
	}
	return false
}

func status(response *http.Response) int {
	if response == nil {
		return 0
	}
	return response.StatusCode
}

func refresh(token string) (*meshyauth.TokenResponse, error) {
	issued, _, err := client.TokenAPI.Token(ctx, account).ClientId(clientID).GrantType("refresh_token").
		RefreshToken(token).Execute()
	return issued, err
}

// basic is a context for the generated client's `basic` scheme (client_secret_basic): the client's id and secret,
// each form-urlencoded first as RFC 6749 section 2.3.1 says, in the Authorization header.
func basic(secret string) context.Context {
	return context.WithValue(ctx, meshyauth.ContextBasicAuth,
		meshyauth.BasicAuth{UserName: url.QueryEscape(serviceID), Password: url.QueryEscape(secret)})
}

// claims are a JWT's claims, read without checking its signature (the server's own checks are introspection's).
func claims(jwt string) (map[string]any, error) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a JWT: %d parts", len(parts))
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, err
	}
	var decoded map[string]any
	return decoded, json.Unmarshal(payload, &decoded)
}

// serviceToken checks a client_credentials token: the client's own, no refresh token, no user.
func serviceToken(issued *meshyauth.TokenResponse) error {
	if !strings.EqualFold(issued.GetTokenType(), "bearer") {
		return fmt.Errorf("token_type %s", issued.GetTokenType())
	}
	if issued.HasRefreshToken() {
		return errors.New("a refresh token")
	}
	if !strings.Contains(" "+issued.GetScope()+" ", " "+serviceScope+" ") {
		return fmt.Errorf("scope %q", issued.GetScope())
	}
	payload, err := claims(issued.GetAccessToken())
	if err != nil {
		return err
	}
	if payload["sub"] != serviceID {
		return fmt.Errorf("sub %v", payload["sub"])
	}
	if id, ok := payload["id"]; ok {
		return fmt.Errorf("an id claim %v", id)
	}
	return nil
}

func main() {
	cfg := meshyauth.NewConfiguration()
	cfg.Servers = meshyauth.ServerConfigurations{{URL: os.Getenv("MESHY_URL")}}
	client = meshyauth.NewAPIClient(cfg)
	var refreshToken, userAccessToken, serviceAccessToken string

	check("discovery names the token endpoint and an EC signing key", func() error {
		metadata, _, err := client.DiscoveryAPI.Discovery(ctx, account).Execute()
		if err != nil {
			return err
		}
		if !strings.HasSuffix(metadata.GetTokenEndpoint(), "/"+account+"/connect/token") {
			return fmt.Errorf("token_endpoint %s", metadata.GetTokenEndpoint())
		}
		jwks, _, err := client.DiscoveryAPI.Jwks(ctx, account).Execute()
		if err != nil {
			return err
		}
		for _, key := range jwks.GetKeys() {
			if key.GetKty() != "EC" {
				return fmt.Errorf("kty %s", key.GetKty())
			}
		}
		return expect(len(jwks.GetKeys()) > 0, "no keys")
	})

	check("discovery names the introspection endpoint, client_credentials and client_secret_basic", func() error {
		metadata, _, err := client.DiscoveryAPI.Discovery(ctx, account).Execute()
		if err != nil {
			return err
		}
		if !strings.HasSuffix(metadata.GetIntrospectionEndpoint(), "/"+account+"/connect/introspect") {
			return fmt.Errorf("introspection_endpoint %q", metadata.GetIntrospectionEndpoint())
		}
		return expect(contains(metadata.GetGrantTypesSupported(), "client_credentials") &&
			contains(metadata.GetTokenEndpointAuthMethodsSupported(), "client_secret_basic"),
			"grant_types_supported %v, token_endpoint_auth_methods_supported %v",
			metadata.GetGrantTypesSupported(), metadata.GetTokenEndpointAuthMethodsSupported())
	})

	check("password grant issues an access token and a refresh token", func() error {
		issued, _, err := login(username, password)
		if err != nil {
			return err
		}
		refreshToken = issued.GetRefreshToken()
		userAccessToken = issued.GetAccessToken()
		return expect(strings.Count(issued.GetAccessToken(), ".") == 2 &&
			strings.EqualFold(issued.GetTokenType(), "bearer") && refreshToken != "",
			"unexpected tokens %+v", issued)
	})

	check("refresh grant rotates the refresh token", func() error {
		issued, err := refresh(refreshToken)
		if err != nil {
			return err
		}
		rotated := issued.GetRefreshToken()
		defer func() { refreshToken = rotated }()
		return expect(rotated != "" && rotated != refreshToken, "no new refresh token")
	})

	check("client_credentials with client_secret_basic: the subject is the client, no refresh token", func() error {
		issued, _, err := client.TokenAPI.Token(basic(serviceSecret), account).GrantType("client_credentials").
			Scope(serviceScope).Execute()
		if err != nil {
			return err
		}
		serviceAccessToken = issued.GetAccessToken()
		return serviceToken(issued)
	})

	check("client_credentials with client_secret_post: the subject is the client, no refresh token", func() error {
		issued, _, err := client.TokenAPI.Token(ctx, account).GrantType("client_credentials").ClientId(serviceID).
			ClientSecret(serviceSecret).Scope(serviceScope).Execute()
		if err != nil {
			return err
		}
		return serviceToken(issued)
	})

	check("a wrong secret is 401 invalid_client with WWW-Authenticate", func() error {
		_, response, err := client.TokenAPI.Token(basic(serviceSecret+"-wrong"), account).
			GrantType("client_credentials").Scope(serviceScope).Execute()
		apiErr, err := refusal(err)
		if err != nil {
			return err
		}
		body, ok := apiErr.Model().(meshyauth.ErrorResponse)
		if status(response) != 401 || !ok || body.GetError() != "invalid_client" {
			return fmt.Errorf("%d %v", status(response), apiErr.Model())
		}
		challenge := response.Header.Get("WWW-Authenticate")
		return expect(strings.HasPrefix(strings.ToLower(challenge), "basic"), "WWW-Authenticate %q", challenge)
	})

	check("introspection of the user access token: active, with its username", func() error {
		answer, _, err := client.TokenAPI.Introspect(basic(serviceSecret), account).Token(userAccessToken).
			TokenTypeHint("access_token").Execute()
		if err != nil {
			return err
		}
		return expect(answer.GetActive() && answer.GetUsername() == username && answer.GetClientId() == clientID &&
			strings.EqualFold(answer.GetTokenType(), "bearer") && answer.GetSub() != "" &&
			answer.GetExp() > time.Now().Unix(), "introspected %+v", answer)
	})

	check("introspection of the client token (client_secret_post): active, no username", func() error {
		answer, _, err := client.TokenAPI.Introspect(ctx, account).Token(serviceAccessToken).ClientId(serviceID).
			ClientSecret(serviceSecret).Execute()
		if err != nil {
			return err
		}
		return expect(answer.GetActive() && !answer.HasUsername() && answer.GetSub() == serviceID &&
			answer.GetClientId() == serviceID, "introspected %+v", answer)
	})

	check("introspection of garbage: inactive", func() error {
		answer, _, err := client.TokenAPI.Introspect(basic(serviceSecret), account).Token("not-a-token").Execute()
		if err != nil {
			return err
		}
		return expect(!answer.GetActive() && !answer.HasUsername() && !answer.HasSub(), "introspected %+v", answer)
	})

	check("revocation ends the refresh token", func() error {
		if _, err := client.TokenAPI.Revoke(ctx, account).Token(refreshToken).TokenTypeHint("refresh_token").
			ClientId(clientID).Execute(); err != nil {
			return err
		}
		_, err := refresh(refreshToken)
		apiErr, err := refusal(err)
		if err != nil {
			return err
		}
		body, ok := apiErr.Model().(meshyauth.ErrorResponse)
		return expect(ok && body.GetError() == "invalid_grant", "after revocation: %v", apiErr.Model())
	})

	check("introspection of the user access token after its session was revoked: inactive", func() error {
		answer, _, err := client.TokenAPI.Introspect(basic(serviceSecret), account).Token(userAccessToken).
			TokenTypeHint("access_token").Execute()
		if err != nil {
			return err
		}
		return expect(!answer.GetActive(), "introspected %+v", answer)
	})

	check("anonymous registration, then login with the static password", func() error {
		device := fmt.Sprintf("go-device-%d", time.Now().UnixNano())
		user, _, err := client.UsersAPI.RegisterAnonymousUser(ctx, account).
			AnonymousRegistration(meshyauth.AnonymousRegistration{Username: device}).Execute()
		if err != nil {
			return err
		}
		if !user.GetAnonymous() || !user.GetIsActive() || user.GetUsername() != device {
			return fmt.Errorf("registered %+v", user)
		}
		issued, _, err := login(device, "nopassword")
		if err != nil {
			return err
		}
		return expect(issued.GetAccessToken() != "", "no access token")
	})

	check("a wrong password is invalid_grant, read from the typed error", func() error {
		_, response, err := login(username, "not-the-password")
		apiErr, err := refusal(err)
		if err != nil {
			return err
		}
		body, ok := apiErr.Model().(meshyauth.ErrorResponse)
		return expect(status(response) == 400 && ok && body.GetError() == "invalid_grant", "%d %v",
			status(response), apiErr.Model())
	})

	check("failed logins past the budget get 429 with Retry-After", func() error {
		for attempt := 0; attempt < 20; attempt++ {
			_, response, err := login(username, "not-the-password")
			if status(response) != 429 {
				continue
			}
			apiErr, _ := refusal(err)
			body, ok := apiErr.Model().(meshyauth.RateLimitError)
			if !ok || body.GetError() != "too_many_requests" {
				return fmt.Errorf("429 body %v", apiErr.Model())
			}
			retryAfter, convErr := strconv.Atoi(response.Header.Get("Retry-After"))
			return expect(convErr == nil && retryAfter >= 1, "Retry-After %q", response.Header.Get("Retry-After"))
		}
		return errors.New("no 429 after 20 failed logins")
	})

	fmt.Printf("go: %d passed, %d failed\n", passed, failed)
	if failed > 0 || passed == 0 {
		os.Exit(1)
	}
}
