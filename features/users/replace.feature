@users
Feature: Replacing users with PUT
  RFC 7644 §3.5.1: PUT replaces every attribute the request carries and
  answers the resource as stored; the id stays. Attributes the request
  omits may be cleared or kept: the RFC allows both.

  @rfc7644-3.5.1 @rfc7643-3.3 @must
  Scenario: PUT changes what it carries
    Given a user "ada" exists
    When I replace the user "ada" setting "displayName" to "Ada Lovelace"
    Then the response status is 200
    And the user "ada" has "displayName" equal to "Ada Lovelace" when read back
    And the user "ada" has "id" equal to the id of "ada" when read back

  @rfc7644-3.5.1 @rfc7643-3.3 @must
  Scenario: PUT keeps the enterprise extension it carries
    Given the target supports the enterprise extension
    And a user "ada" exists
    When I replace the user "ada" setting "displayName" to "Ada Lovelace"
    Then the response status is 200
    And the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Research" when read back

  @rfc7644-3.5.1 @must
  Scenario: PUT answers what it stored, whether it clears or keeps what it omits
    Given a user "ada" exists
    When I replace the user "ada" leaving out "nickName"
    Then the response status is 200
    And the PUT answer and the user "ada" read back agree on "nickName"

  @rfc7643-4.1.1 @rfc7644-3.5.1 @okta-deactivated-readable @must
  Scenario: PUT with active false deactivates and the user stays readable
    Given a user "ada" exists
    When I replace the user "ada" setting "active" to false
    Then the response status is 200
    And the user "ada" has "active" equal to "false" when read back
