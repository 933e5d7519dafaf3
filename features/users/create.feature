@users
Feature: Creating users
  RFC 7644 §3.3: a successful POST answers 201 Created with the resource as
  stored, a Location header and a server-assigned id.

  @rfc7644-3.3 @must
  Scenario: creating a user answers 201 with the stored resource
    When I create a user "ada"
    Then the response status is 201
    And the response body has "userName" equal to the userName of "ada"
    And the response body has a server-assigned "id"

  @rfc7644-3.3 @must
  Scenario: the Location header points at the new user
    When I create a user "ada"
    Then the response status is 201
    And the Location header is the URL of the created user

  @rfc7643-3.1 @must
  Scenario: the created user carries meta
    When I create a user "ada"
    Then the response body has "meta.resourceType" equal to "User"
    And the response body has "meta.created"
    And the response body has "meta.lastModified"
    And the response body has "meta.location"

  @rfc7643-3.1 @must
  Scenario: externalId round-trips
    When I create a user "ada" with externalId "hr-4711"
    Then the user "ada" has "externalId" equal to "hr-4711" when read back

  # RFC 7643 §4.1.1 gives active no default, so a user created without it
  # may have none; Okta and Entra always send it. Made inactive, though, the
  # user is locked out by any client that leaves it out.
  @rfc7643-4.1.1 @should
  Scenario: a user created without active is not made inactive
    When I create a user "ada" without active
    Then the user "ada" is not inactive when read back

  @rfc7643-4.1.1 @must
  Scenario: the password is never returned
    When I create a user "ada" with a password
    Then the response body has no "password"
    And the user "ada" has no "password" when read back

  @rfc7643-4.1.2 @must
  Scenario: multi-valued emails keep their type and primary flag
    When I create a user "ada"
    Then the user "ada" has "emails[type eq \"work\"].primary" equal to "true" when read back
    And the user "ada" has "emails[type eq \"home\"].value" equal to the home email of "ada" when read back

  @rfc7643-3.3 @must
  Scenario: the enterprise extension is stored
    Given the target supports the enterprise extension
    When I create a user "ada"
    Then the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Research" when read back
