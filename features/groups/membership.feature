@groups
Feature: Groups and membership
  RFC 7643 §4.2 defines groups and their members; RFC 7644 §3.5.2 changes
  membership with PATCH. Membership is checked from both sides: the group's
  members and the user's read-only groups attribute.

  Background:
    Given the target supports groups
    And the users "ada, bob, cyd" exist

  @rfc7644-3.3 @rfc7643-4.2 @must
  Scenario: creating a group answers 201 with its members
    When I create a group "engineers" with the members "ada, bob"
    Then the response status is 201
    And the group "engineers" has exactly the members "ada, bob" when read back

  @rfc7643-4.1.2 @rfc7643-4.2 @must
  Scenario: a member's groups attribute names the group
    Given a group "engineers" with the members "ada"
    Then the user "ada" is in the group "engineers" when read back

  @rfc7644-3.5.2.1 @okta-group-push @must
  Scenario: add members with PATCH
    Given a group "engineers" with the members "ada"
    When I PATCH the group "engineers" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"add","path":"members","value":[{"value":"{{id:bob}}"},{"value":"{{id:cyd}}"}]}]}
      """
    Then the PATCH succeeded
    And the group "engineers" has exactly the members "ada, bob, cyd" when read back

  @rfc7644-3.5.2.2 @okta-group-push @entra-member-remove @must
  Scenario: remove one member with a value filter
    Given a group "engineers" with the members "ada, bob, cyd"
    When I PATCH the group "engineers" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove","path":"members[value eq \"{{id:bob}}\"]"}]}
      """
    Then the PATCH succeeded
    And the group "engineers" has exactly the members "ada, cyd" when read back

  @rfc7644-3.5.2.2 @must
  Scenario: remove of members without a filter removes every member
    Given a group "engineers" with the members "ada, bob"
    When I PATCH the group "engineers" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove","path":"members"}]}
      """
    Then the response status is 200 or 204
    And the group "engineers" has no members when read back

  @rfc7644-3.5.2.2 @rfc7644-3.12 @must
  Scenario: remove without a path is refused with noTarget on a group too
    Given a group "engineers" with the members "ada, bob"
    When I PATCH the group "engineers" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove"}]}
      """
    Then the response status is 400
    And the SCIM error has status "400" and scimType "noTarget"

  @rfc7644-3.5.2.3 @must
  Scenario: replace members swaps the whole set
    Given a group "engineers" with the members "ada, bob"
    When I PATCH the group "engineers" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"members","value":[{"value":"{{id:cyd}}"}]}]}
      """
    Then the PATCH succeeded
    And the group "engineers" has exactly the members "cyd" when read back

  @rfc7644-3.6 @rfc7643-4.2 @must
  Scenario: deleting a user removes it from its groups
    Given a group "engineers" with the members "ada, bob"
    When I delete the user "bob"
    Then the group "engineers" has exactly the members "ada" when read back
