@patch
Feature: PATCH on multi-valued attributes
  RFC 7644 §3.5.2: a value filter in the path selects which values of a
  multi-valued attribute an operation touches; the others stay as they were.

  Background:
    Given the target supports PATCH
    And a user "ada" exists

  @rfc7644-3.5.2.3 @entra-valuepath @must
  Scenario: replace through a value filter changes only the matching value
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"emails[type eq \"work\"].value","value":"new.work@example.com"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "emails[type eq \"work\"].value" equal to "new.work@example.com" when read back
    And the user "ada" has "emails[type eq \"home\"].value" equal to the home email of "ada" when read back

  @rfc7644-3.5.2.1 @must
  Scenario: add appends to a multi-valued attribute
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"add","path":"phoneNumbers","value":[{"value":"+1 555 0100","type":"work"}]}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "phoneNumbers[type eq \"work\"].value" equal to "+1 555 0100" when read back
    And the user "ada" has "emails[type eq \"home\"].value" equal to the home email of "ada" when read back

  @rfc7644-3.5.2.2 @must
  Scenario: remove through a value filter removes only the matching value
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove","path":"emails[type eq \"home\"]"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has no "emails[type eq \"home\"]" when read back
    And the user "ada" has "emails[type eq \"work\"].value" equal to the work email of "ada" when read back
