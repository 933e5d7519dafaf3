@protocol
Feature: Authentication
  RFC 7644 §2: the service provider authenticates every request; without a
  valid credential it answers 401 and serves nothing. RFC 6750 §3 (and
  RFC 7235 §3.1): a 401 carries a WWW-Authenticate challenge; RFC 7644 §3.12:
  its body is a SCIM error.

  @rfc7644-2 @must
  Scenario: a request without credentials is refused
    When I GET /Users without credentials
    Then the response status is 401

  @rfc7644-2 @must
  Scenario: a request with a wrong bearer token is refused
    When I GET /Users with the bearer token "not-the-token"
    Then the response status is 401

  @rfc6750-3 @rfc7644-3.12 @must
  Scenario: a 401 says how to authenticate, in a SCIM error
    When I GET /Users without credentials
    Then the response status is 401
    And the response has a WWW-Authenticate challenge
    And the SCIM error has status "401"

  @rfc6750-3 @rfc7644-3.12 @must
  Scenario: a 401 for a wrong token says how to authenticate, in a SCIM error
    When I GET /Users with the bearer token "not-the-token"
    Then the response status is 401
    And the response has a WWW-Authenticate challenge
    And the SCIM error has status "401"

  @rfc7644-2 @must
  Scenario: a write without credentials creates nothing
    When I create a user "mallory" without credentials
    Then the response status is 401
    And no user "mallory" exists
