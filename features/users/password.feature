@users
Feature: Passwords are never returned
  RFC 7643 §4.1.1 and §7: password is writeOnly and returned "never": not
  in the answer to the write that set it, not in a read or a list, not even
  when a client asks for it by name.

  @rfc7643-4.1.1 @must
  Scenario: a password asked for by name is not returned
    Given a user "ada" exists with a password
    When I GET /Users/{{id:ada}}?attributes=userName,password
    Then the response status is 200
    And the response body has no "password"

  @rfc7643-4.1.1 @must
  Scenario: a list does not return passwords
    Given the target supports filtering
    And a user "ada" exists with a password
    When I filter users by userName sw "{{prefix}}"
    Then the list contains exactly the users "ada"
    And every listed resource has no "password"

  @rfc7643-4.1.1 @must
  Scenario: the answer to a PATCH that sets the password does not carry it
    Given the target supports PATCH
    And the target supports changing passwords
    And a user "ada" exists
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"password","value":"{{new password}}"}]}
      """
    Then the response status is 200 or 204
    And the response body, if any, has no "password"
    And the user "ada" has no "password" when read back

  @rfc7643-4.1.1 @must
  Scenario: the answer to a PUT with a new password does not carry it
    Given the target supports changing passwords
    And a user "ada" exists with a password
    When I replace the user "ada" with a new password
    Then the response status is 200
    And the response body has no "password"
    And the user "ada" has no "password" when read back
