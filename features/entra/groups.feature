@entra
Feature: Entra provisions groups
  Entra looks groups up without members, creates them empty, then adds
  members with "$ref": null; it removes members with a value array (legacy)
  or a value filter (compliant), and renames with Replace.

  Background:
    Given the target supports groups
    And the target supports filtering
    And an Entra tenant with the users "ada, bob, cyd" in scope
    And an Entra group "eng" in scope with the members "ada, bob"

  @entra-group-create @entra-member-add @entra-group-read @rfc7644-3.5.2.1 @must
  Scenario: the initial cycle creates the group and adds its members
    When the Entra job runs its initial cycle
    Then the cycle succeeded
    And the group "eng" has exactly the members "ada, bob" when read back

  @entra-member-remove @entra-E22 @entra-string-bool @rfc7644-3.5.2.2 @must
  Scenario: a legacy member removal (a value array on path members) removes only those members
    Given the Entra job runs its initial cycle
    And in Entra, the group "eng" gets the members "bob"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the group "eng" has exactly the members "bob" when read back

  @entra-member-remove @entra-E22 @entra-flag @rfc7644-3.5.2.2 @must
  Scenario: a compliant member removal uses a value filter
    Given the Entra job uses the compliant PATCH dialect
    And the Entra job runs its initial cycle
    And in Entra, the group "eng" gets the members "ada, cyd"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the group "eng" has exactly the members "ada, cyd" when read back

  @entra-group-rename @rfc7644-3.5.2.3 @must
  Scenario: a group rename is a Replace of displayName
    Given the Entra job runs its initial cycle
    And in Entra, the group "eng" gets the displayName of "platform"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the group "eng" has "displayName" equal to the displayName of "platform" when read back

  @entra-group-read @rfc7644-3.4.2.2 @must
  Scenario: a second initial-style lookup finds the group by displayName
    Given a group "eng" with no members
    When the Entra job runs its initial cycle
    Then the cycle succeeded
    And the cycle sent no group-create

  @entra-group-create @rfc7644-3.6 @must
  Scenario: a group leaving the app's scope is deleted
    Given the Entra job runs its initial cycle
    And in Entra, the group "eng" is removed from the app's scope
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And reading the group "eng" answers 404
