@lifecycle @managed
Feature: The Hugging Face Hub's Managed SSO rules
  With Managed SSO the organisation owns its members' accounts: the IdP is
  their only login, they create content only inside the organisation, they
  belong to it alone, and deleting one deletes their content too. People
  outside it can still collaborate. The profile's lifecycle.rules section
  says how to reach each rule on the target's API.

  Background:
    Given the target uses the managed account model

  @hub-H4 @must
  Scenario: a managed account signs in only through the IdP
    Given the target profile describes the hub rule "login"
    And a user "ada" exists
    Then "ada" cannot sign in with their own credentials

  @hub-H6 @must
  Scenario: a managed user creates content inside the organisation, never public content
    Given the target profile describes the hub rule "publicContent"
    And the target profile describes the hub rule "orgContent"
    And a user "ada" exists
    Then "ada" can create private content inside the organisation
    And "ada" cannot create public content

  @hub-H7 @must
  Scenario: a managed user belongs to their managing organisation only
    Given the target profile describes the hub rule "joinOtherOrg"
    And a user "ada" exists
    Then "ada" cannot join another organisation

  @hub-H19 @must
  Scenario: someone outside a managed organisation can be an external collaborator
    Given the target profile describes the hub rule "addCollaborator"
    And a personal account "eve" exists
    Then "eve" can be added as an external collaborator

  @hub-HX5 @rfc7644-3.6 @must
  Scenario: deleting a managed user deletes the content they created
    Given the target profile describes the hub rule "readContent"
    And a user "ada" exists
    And "ada" created private content inside the organisation
    When I delete the user "ada"
    Then the response status is 204
    And the content of "ada" is gone

  @hub-HX5 @okta-patch-active @must
  Scenario: deactivating a managed user keeps the content they created
    Given the target profile describes the hub rule "readContent"
    And a user "ada" exists
    And "ada" created private content inside the organisation
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "value": {"active": false}}]}
      """
    Then the PATCH succeeded
    And the content of "ada" is kept
