@lifecycle @invitation
Feature: The invitation account model
  The organisation's members keep their own accounts. A SCIM create for an
  existing personal account is an invitation: the person is not in the
  organisation until they accept. The profile says how the harness signs up
  a test account, accepts an invitation for it and reads membership state.

  Background:
    Given the target uses the invitation account model

  @hub-invite @must
  Scenario: inviting an existing account leaves the invitation pending
    Given a personal account "ada" exists
    When I invite "ada"
    Then the membership of "ada" is pending

  @hub-invite @must
  Scenario: a pending invitation is not membership
    Given a personal account "ada" exists
    And "ada" is invited
    Then "ada" has no access to the organisation

  @hub-invite @must
  Scenario: accepting the invitation makes a member
    Given a personal account "ada" exists
    And "ada" is invited
    When "ada" accepts the invitation
    Then the membership of "ada" is member

  @hub-invite @rfc7644-3.4.1 @must
  Scenario: the invited user keeps its id and profile through acceptance
    Given a personal account "ada" exists
    And "ada" is invited
    When "ada" accepts the invitation
    Then the user "ada" keeps its id and its profile when read back

  @hub-invite-deprovision @rfc7644-3.6 @must
  Scenario: deprovisioning before acceptance cancels the invitation
    Given a personal account "ada" exists
    And "ada" is invited
    When I delete the user "ada"
    Then the response status is 204
    And the membership of "ada" is none
    And the personal account "ada" still exists

  @hub-invite-deprovision @rfc7644-3.6 @must
  Scenario: a cancelled invitation can no longer be accepted
    Given a personal account "ada" exists
    And "ada" is invited
    And I delete the user "ada"
    When "ada" tries to accept the invitation
    Then "ada" has no access to the organisation

  @hub-invite-deprovision @hub-invite @rfc7644-3.6 @must
  Scenario: an account can be invited again after a cancelled invitation
    Given a personal account "ada" exists
    And "ada" is invited
    And I delete the user "ada"
    When I invite "ada"
    Then the membership of "ada" is pending

  @hub-invite @rfc7644-3.12 @must
  Scenario: inviting someone without an account is refused or left pending, never a crash
    When I invite "ghost"
    Then the invitation is refused with a SCIM error or left pending

  @hub-invite @rfc7644-3.3 @rfc7644-3.12 @must
  Scenario: inviting twice is idempotent
    Given a personal account "ada" exists
    And "ada" is invited
    When I invite "ada" again
    Then the second invitation is answered 409 uniqueness or with the same user
    And the membership of "ada" is pending

  @hub-invite @rfc7644-3.3 @rfc7644-3.12 @must
  Scenario: inviting a member again leaves them a member
    Given "ada" is a member
    When I invite "ada" again
    Then the second invitation is answered 409 uniqueness or with the same user
    And the membership of "ada" is member

  @hub-invite-deprovision @rfc7644-3.6 @must
  Scenario: deprovisioning a member removes organisation access and keeps the personal account
    Given "ada" is a member
    When I delete the user "ada"
    Then the response status is 204
    And the membership of "ada" is none
    And the personal account "ada" still exists

  @hub-invite-deprovision @okta-patch-active @must
  Scenario: deactivating a member removes access and keeps the personal account
    Given "ada" is a member
    When I PATCH the user "ada" with:
      """
      {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations": [{"op": "replace", "value": {"active": false}}]}
      """
    Then the PATCH succeeded
    And "ada" has no access to the organisation
    And the personal account "ada" still exists

  @hub-invite-deprovision @hub-invite @rfc7644-3.6 @must
  Scenario: a former member invited again must accept again
    Given "ada" is a member
    And I delete the user "ada"
    When I invite "ada"
    Then the membership of "ada" is pending
