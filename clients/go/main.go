// The generated Go client against the real server: what a MeshyDB app in Go does.
// Environment: MESHY_URL, MESHY_ACCOUNT, MESHY_CLIENT_ID, MESHY_USERNAME, MESHY_PASSWORD (clients/run sets them).
package main

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	meshyauth "meshy-auth.invalid/clients/go"
)

const scope = "meshy.api offline_access"

var (
	ctx      = context.Background()
	account  = os.Getenv("MESHY_ACCOUNT")
	clientID = os.Getenv("MESHY_CLIENT_ID")
	username = os.Getenv("MESHY_USERNAME")
	password = os.Getenv("MESHY_PASSWORD")
	client   *meshyauth.APIClient
	passed   int
	failed   int
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

func main() {
	cfg := meshyauth.NewConfiguration()
	cfg.Servers = meshyauth.ServerConfigurations{{URL: os.Getenv("MESHY_URL")}}
	client = meshyauth.NewAPIClient(cfg)
	var refreshToken string

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

	check("password grant issues an access token and a refresh token", func() error {
		issued, _, err := login(username, password)
		if err != nil {
			return err
		}
		refreshToken = issued.GetRefreshToken()
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
