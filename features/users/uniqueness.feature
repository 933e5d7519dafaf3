@users
Feature: userName uniqueness
  RFC 7643 §4.1.1 makes userName unique and case-insensitive; RFC 7644 §3.3
  requires 409 with scimType "uniqueness" on a duplicate.

  @rfc7644-3.3 @rfc7644-3.12 @must
  Scenario: creating a duplicate userName is refused with 409 uniqueness
    Given a user "ada" exists
    When I create a user "ada"
    Then the response status is 409
    And the SCIM error has status "409" and scimType "uniqueness"

  @rfc7643-4.1.1 @rfc7644-3.3 @must
  Scenario: a duplicate that differs only in case is refused
    Given a user "ada" exists
    When I create a user "ada" with the userName in upper case
    Then the response status is 409

  @rfc7643-4.1.1 @rfc7644-3.4.2.2 @okta-case @must
  Scenario: a userName filter matches regardless of case
    Given a user "ada" exists
    When I filter users by userName eq "{{upper:userName:ada}}"
    Then the response status is 200
    And the list contains exactly the users "ada"

  @rfc7644-3.3 @must
  Scenario: a rename into a taken userName is refused
    Given a user "ada" exists
    And a user "bob" exists
    When I replace the user "bob" with the userName of "ada"
    Then the response status is 409
    And the user "bob" has "userName" equal to the userName of "bob" when read back
