@sso @oidc
Feature: OpenID Connect login
  The target logs people in as an OpenID Connect relying party with the
  authorization-code flow and PKCE (S256), validating the ID token
  (OpenID Connect Core §3.1.3.7) before it trusts a claim.

  Background:
    Given the target accepts OIDC logins
    And a user "ada" exists
    And "ada" is signed in at the IdP

  @oidc-core-3.1.3.7 @rfc7636-4
  Scenario: Authorization-code login with PKCE
    When "ada" logs in through OIDC
    Then the target's session belongs to "ada"

  @hub-logout
  Scenario: Logging out of an OIDC session ends it
    Given "ada" is logged in through OIDC
    When "ada" logs out
    Then the target has no session
