@groups
Feature: Group lifecycle
  Groups are created, found, renamed and deleted like any resource
  (RFC 7644 §3.3–3.6); IdPs push them by displayName.

  Background:
    Given the target supports groups

  @rfc7644-3.5.2.3 @okta-group-push @entra-group-rename @must
  Scenario: rename a group with PATCH
    Given a group "engineers" with no members
    When I PATCH the group "engineers" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"displayName","value":"{{displayName:platform}}"}]}
      """
    Then the PATCH succeeded
    And the group "engineers" has "displayName" equal to the displayName of "platform" when read back

  @rfc7644-3.4.2.2 @okta-group-push @must
  Scenario: find a group by displayName
    Given the target supports filtering
    And a group "engineers" with no members
    When I filter groups by displayName eq "{{displayName:engineers}}"
    Then the list contains exactly the groups "engineers"

  @rfc7644-3.4.2.5 @entra-group-read @must
  Scenario: read a group without its members
    Given a user "ada" exists
    And a group "engineers" with the members "ada"
    When I GET /Groups/{{id:engineers}}?excludedAttributes=members
    Then the response status is 200
    And the response body has "displayName"
    And the response body has no "members"

  @rfc7644-3.6 @rfc7644-3.12 @must
  Scenario: a deleted group is gone
    Given a group "engineers" with no members
    When I delete the group "engineers"
    Then the response status is 204
    And reading the group "engineers" answers 404
