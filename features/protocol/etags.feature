@protocol
Feature: Versions and ETags
  RFC 7644 §3.14: a service provider that claims ETag support returns a
  version and refuses a write made against a stale one with 412.

  Background:
    Given the target supports ETags
    And a user "ada" exists

  @rfc7644-3.14 @must
  Scenario: a read returns the version as ETag and meta.version
    When I GET /Users/{{id:ada}}
    Then the response has an ETag header equal to "meta.version"

  @rfc7644-3.14 @must
  Scenario: a write against a stale version is refused with 412
    Given I remember the version of the user "ada"
    And I replace the user "ada" setting "displayName" to "first"
    When I replace the user "ada" setting "displayName" to "second" if it still has the remembered version
    Then the response status is 412
    And the user "ada" has "displayName" equal to "first" when read back

  @rfc7644-3.14 @must
  Scenario: a write against the current version succeeds
    Given I remember the version of the user "ada"
    When I replace the user "ada" setting "displayName" to "second" if it still has the remembered version
    Then the response status is 200

  @rfc7644-3.14 @should
  Scenario: If-None-Match with the current version answers 304
    Given I remember the version of the user "ada"
    When I GET /Users/{{id:ada}} if the version changed
    Then the response status is 304
