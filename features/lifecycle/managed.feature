@lifecycle @managed
Feature: The managed account model
  The organisation owns its members' accounts: SCIM creates, updates,
  deactivates and deletes the account itself, and a deactivated account is
  blocked everywhere, not only in SCIM.

  Background:
    Given the target uses the managed account model

  @hub-managed @rfc7644-3.3 @must
  Scenario: creating a managed user creates a usable account
    When I create a user "ada"
    Then the response status is 201
    And the account of "ada" is usable

  @hub-managed @rfc7644-3.5.1 @must
  Scenario: updating a managed user changes the account
    Given a user "ada" exists
    When I replace the user "ada" setting "displayName" to "Ada Renamed"
    Then the response status is 200
    And the user "ada" has "displayName" equal to "Ada Renamed" when read back

  @hub-managed @okta-patch-active @must
  Scenario: deactivating blocks the account everywhere
    Given a user "ada" exists
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "value": {"active": false}}]}
      """
    Then the PATCH succeeded
    And the account of "ada" is blocked

  @hub-managed @okta-deactivated-readable @okta-patch-active @must
  Scenario: a deactivated user keeps its id and data
    Given a user "ada" exists
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "value": {"active": false}}]}
      """
    Then the user "ada" has "active" equal to "false" when read back
    And the user "ada" keeps its id and its profile when read back

  @hub-managed @okta-patch-active @must
  Scenario: reactivating restores the same user with the same data
    Given a user "ada" exists
    And I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "value": {"active": false}}]}
      """
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "value": {"active": true}}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "active" equal to "true" when read back
    And the user "ada" keeps its id and its profile when read back

  @hub-managed @rfc7644-3.5.1 @rfc7643-4.1.1 @must
  Scenario: a reactivated account can be used again
    Given a user "ada" exists
    And the user "ada" is deactivated
    When I replace the user "ada" setting "active" to true
    Then the response status is 200
    And the account of "ada" is usable

  @hub-managed @rfc7644-3.6 @must
  Scenario: deleting a managed user deletes the account
    Given a user "ada" exists
    When I delete the user "ada"
    Then the response status is 204
    And reading the user "ada" answers 404
    And the account of "ada" is gone

  @hub-managed @entra-disable @rfc7644-3.5.1 @must
  Scenario: lists show a deactivated user consistently
    Given a user "ada" exists
    And the user "ada" is deactivated
    Then lists show the deactivated user "ada" consistently

  @hub-managed @entra-disable @rfc7644-3.5.2.3 @must
  Scenario: lists show a user deactivated by PATCH consistently
    Given a user "ada" exists
    And I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "path": "active", "value": false}]}
      """
    Then lists show the deactivated user "ada" consistently
