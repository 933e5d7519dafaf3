@lifecycle @invitation
Feature: The Hugging Face Hub's Basic SSO rules
  With Basic SSO the organisation invites people who keep their own Hub
  accounts: SCIM may change only active and externalId, the person keeps
  their own login, deprovisioning removes them from the organisation and
  every resource group but leaves the account, and people outside the
  organisation can still collaborate. The profile's lifecycle.rules and
  resourceGroups sections say how to reach each rule on the target's API.

  Background:
    Given the target uses the invitation account model

  @hub-H5 @must
  Scenario: a member keeps the login of their own account
    Given the target profile describes the hub rule "login"
    And "ada" is a member
    Then "ada" can sign in with their own credentials

  @hub-H5 @must
  Scenario: an invited person keeps the login of their own account
    Given the target profile describes the hub rule "login"
    And a personal account "ada" exists
    And "ada" is invited
    Then "ada" can sign in with their own credentials

  @hub-HX3 @rfc7644-3.5.2.3 @must
  Scenario: SCIM cannot change a member's name
    Given the target profile describes the hub rule "profileReadOnly"
    And "ada" is a member
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "path": "name.givenName", "value": "Changed"}]}
      """
    Then the profile change is refused
    And the user "ada" keeps its id and its profile when read back

  @hub-HX3 @rfc7644-3.5.2.3 @must
  Scenario: SCIM cannot change a member's email
    Given the target profile describes the hub rule "profileReadOnly"
    And "ada" is a member
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "changed@example.org"}]}
      """
    Then the profile change is refused
    And the user "ada" keeps its id and its profile when read back

  @hub-HX3 @rfc7644-3.5.2.3 @must
  Scenario: SCIM cannot change a member's username
    Given the target profile describes the hub rule "profileReadOnly"
    And "ada" is a member
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "path": "userName", "value": "changed-name"}]}
      """
    Then the profile change is refused
    And the user "ada" keeps its id and its profile when read back

  @hub-HX3 @rfc7644-3.5.1 @must
  Scenario: a PUT cannot change a pending invitee's profile either
    Given the target profile describes the hub rule "profileReadOnly"
    And a personal account "ada" exists
    And "ada" is invited
    When I replace the user "ada" setting "displayName" to "Someone Else"
    Then the profile change is refused
    And the user "ada" keeps its id and its profile when read back

  @hub-HX3 @rfc7643-3.1 @rfc7644-3.5.2.3 @must
  Scenario: SCIM can change a member's externalId
    Given the target profile describes the hub rule "profileReadOnly"
    And "ada" is a member
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "path": "externalId", "value": "idp-object-7"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "externalId" equal to "idp-object-7" when read back

  @hub-HX4 @hub-invite-deprovision @rfc7644-3.6 @must
  Scenario: deprovisioning a member removes them from every resource group and keeps the account
    Given the target has resource groups
    And "ada" is a member
    And a resource group "models" with the member "ada"
    And a resource group "datasets" with the member "ada"
    When I delete the user "ada"
    Then the response status is 204
    And "ada" is in none of the scenario's resource groups
    And the personal account "ada" still exists

  @hub-H19 @must
  Scenario: someone outside the organisation can be an external collaborator
    Given the target profile describes the hub rule "addCollaborator"
    And a personal account "eve" exists
    Then "eve" can be added as an external collaborator
    And the membership of "eve" is none
