@protocol
Feature: Authentication
  RFC 7644 §2: the service provider authenticates every request; without a
  valid credential it answers 401 and serves nothing.

  @rfc7644-2 @must
  Scenario: a request without credentials is refused
    When I GET /Users without credentials
    Then the response status is 401

  @rfc7644-2 @must
  Scenario: a request with a wrong bearer token is refused
    When I GET /Users with the bearer token "not-the-token"
    Then the response status is 401

  @rfc7644-2 @must
  Scenario: a write without credentials creates nothing
    When I create a user "mallory" without credentials
    Then the response status is 401
    And no user "mallory" exists
