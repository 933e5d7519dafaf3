@entra
Feature: Entra's queries
  Entra queries the target more than it writes to it: a random GUID at Test
  Connection and at the start of every cycle, which must find nobody (E1),
  /Schemas when the configuration is saved (E35), the matching attribute
  before each change of a linked user (E4), and whether a user is a member
  before it changes a group (E22).

  Background:
    Given the target supports filtering
    And an Entra tenant with the users "ada, bob" in scope

  @entra-E1 @entra-E32 @entra-E35 @entra-lookup @must
  Scenario: Test Connection reads /Schemas and finds no user or group for a random GUID
    Given the target supports groups
    When Entra tests the connection
    Then the connection test succeeded

  @entra-E1 @entra-E4 @entra-lookup @must
  Scenario: a cycle starts with a random-GUID query and looks a user up before changing it
    Given the Entra job runs its initial cycle
    And in Entra, "ada" gets the displayName "Countess Ada"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "displayName" equal to "Countess Ada" when read back

  @entra-E22 @entra-member-add @entra-group-read @must
  Scenario: membership queries find the members a cycle added
    Given the target supports groups
    And an Entra group "eng" in scope with the members "ada"
    And the Entra job runs its initial cycle
    And in Entra, the group "eng" gets the members "ada, bob"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the group "eng" has exactly the members "ada, bob" when read back
