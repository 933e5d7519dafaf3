@patch
Feature: PATCH requests that must be refused
  RFC 7644 §3.5.2 and §3.12: an operation the service provider cannot apply
  is refused with 400 and nothing of the request is applied.

  Background:
    Given the target supports PATCH
    And a user "ada" exists

  @rfc7644-3.5.2 @rfc7644-3.12 @must
  Scenario: an unknown op is refused
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"merge","path":"title","value":"x"}]}
      """
    Then the response status is 400
    And the SCIM error has status "400"
    And the user "ada" has no "title" when read back

  @rfc7644-3.5.2 @rfc7644-3.12 @must
  Scenario: an unknown attribute path is refused with invalidPath
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"favouriteColour","value":"green"}]}
      """
    Then the response status is 400
    And the SCIM error has status "400" and scimType "invalidPath"

  @rfc7643-2.2 @rfc7644-3.5.2 @rfc7644-3.12 @must
  Scenario: a change to a read-only attribute is refused with mutability
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"id","value":"not-the-id"}]}
      """
    Then the response status is 400
    And the SCIM error has status "400" and scimType "mutability"
    And the user "ada" keeps its id and its profile when read back

  @rfc7644-3.5.2.2 @rfc7644-3.12 @must
  Scenario: remove without a path is refused with noTarget
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove"}]}
      """
    Then the response status is 400
    And the SCIM error has status "400" and scimType "noTarget"

  @rfc7644-3.5.2 @must
  Scenario: a PATCH is all or nothing
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"title","value":"applied?"},
                     {"op":"replace","path":"favouriteColour","value":"green"}]}
      """
    Then the response status is 400
    And the user "ada" has no "title" when read back
