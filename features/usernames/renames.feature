@usernames @username
Feature: Renaming users
  A rename is held to the same userName policy and the same uniqueness as a
  create: into a taken name is 409 uniqueness (RFC 7644 §3.3), across the
  policy's boundary is 400 invalidValue, and a refused rename keeps the old
  name.

  Background:
    Given the target's userName policy is known

  @rfc7644-3.3 @rfc7644-3.5.2 @rfc7644-3.12 @must
  Scenario: a PATCH rename into a taken userName is refused with 409 uniqueness
    Given the users "ada, bob" exist
    When I PATCH the user "bob" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "path": "userName", "value": "{{userName:ada}}"}]}
      """
    Then the response status is 409
    And the SCIM error has status "409" and scimType "uniqueness"
    And the user "bob" has "userName" equal to the userName of "bob" when read back

  @rfc7643-4.1.1 @rfc7644-3.3 @rfc7644-3.12 @must
  Scenario: a rename into a taken userName in another case is refused with 409 uniqueness
    Given the users "ada, bob" exist
    When I rename the user "bob" to the userName of "ada" in upper case
    Then the response status is 409
    And the SCIM error has status "409" and scimType "uniqueness"
    And the user "bob" has "userName" equal to the userName of "bob" when read back

  @hub-usernames @rfc7644-3.5.1 @must
  Scenario: a rename to exactly the maximum length is accepted and stored
    Given a user "ada" exists
    When I rename the user "ada" to a userName of the maximum length
    Then the response status is 200
    And the user "ada" has the new userName when read back

  @hub-usernames @rfc7644-3.5.1 @rfc7644-3.12 @must
  Scenario: a rename under the minimum length is refused and the old name kept
    Given a user "ada" exists
    When I rename the user "ada" to a userName of one under the minimum length
    Then the userName is refused with 400 invalidValue
    And the user "ada" has "userName" equal to the userName of "ada" when read back

  @hub-usernames @rfc7644-3.5.1 @rfc7644-3.12 @must
  Scenario: a rename to digits only follows the policy
    Given a user "ada" exists
    When I rename the user "ada" to a digits-only userName
    Then the rename follows the policy on digits-only names

  @hub-usernames @rfc7644-3.5.2 @rfc7644-3.12 @must
  Scenario: a PATCH rename past the maximum length is refused and the old name kept
    Given a user "ada" exists
    When I rename the user "ada" by PATCH to a userName of one over the maximum length
    Then the userName is refused with 400 invalidValue
    And the user "ada" has "userName" equal to the userName of "ada" when read back
