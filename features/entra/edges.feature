@entra
Feature: Entra's edge behaviours
  What "How Application Provisioning works" and "Known issues" say Entra
  does at the edges: an unassigned user is disabled and then left alone
  (E15), a disabled user is not provisioned (E16), a manager out of scope
  waits for a restart (E18), one user can be provisioned on demand (E41),
  and a restart keeps the links to the target's objects (E42).

  Background:
    Given the target supports filtering
    And an Entra tenant with the users "ada, bob" in scope

  @entra-E15 @entra-disable @rfc7643-4.1.1 @must
  Scenario: an unassigned user is disabled, and not deleted when later deleted in Entra
    Given the Entra job runs its initial cycle
    And in Entra, "ada" is removed from the app's scope
    And the Entra job runs an incremental cycle
    And in Entra, "ada" is hard-deleted
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the cycle sent no delete
    And the user "ada" has "active" equal to "false" when read back

  @entra-E16 @entra-create @rfc7643-4.1.1 @must
  Scenario: a disabled user is not provisioned until it is enabled
    Given in Entra, "ada" is disabled
    And the Entra job runs its initial cycle
    And the cycle sent no create of "ada"
    And in Entra, "ada" is enabled
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "active" equal to "true" when read back

  @entra-E18 @entra-manager @rfc7643-3.3 @must
  Scenario: a manager out of scope is set after provisioning restarts
    Given the target offers the enterprise extension
    And in Entra, "bob" is removed from the app's scope
    And in Entra, "ada" gets the manager "bob"
    And the Entra job runs its initial cycle
    And in Entra, "bob" is restored
    And the Entra job runs an incremental cycle
    And the user "ada" has no "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" when read back
    When the Entra provisioning is restarted
    And the Entra job runs its initial cycle
    Then the cycle succeeded
    And the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value" equal to the id of "bob" when read back

  @entra-E41 @entra-patch-op-case @rfc7644-3.5.2.3 @must
  Scenario: a user provisioned on demand is sent in the legacy dialect even with the flag
    Given the Entra job uses the compliant PATCH dialect
    And the Entra job runs its initial cycle
    And in Entra, "ada" gets the givenName "Augusta"
    When Entra provisions "ada" on demand
    Then the cycle succeeded
    And the user "ada" has "name.givenName" equal to "Augusta" when read back

  @entra-E42 @entra-lookup @rfc7644-3.4.2.2 @must
  Scenario: a restart keeps the links and looks every user up again
    Given the Entra job runs its initial cycle
    And in Entra, "bob" gets the surname "Builder"
    When the Entra provisioning is restarted
    And the Entra job runs its initial cycle
    Then the cycle succeeded
    And the cycle sent no create
    And the target holds exactly one user "ada"
    And the user "bob" has "name.familyName" equal to "Builder" when read back
