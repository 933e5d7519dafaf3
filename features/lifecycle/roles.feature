@lifecycle @roles @rfc7643-4.2
Feature: Role and resource-group mapping
  The profile maps IdP groups (pushed as SCIM groups) to the target's roles
  and resource groups. A member's effective role, read through the
  profile's probe, follows the mapped groups they are in now.

  Background:
    Given the target maps groups to roles
    And an organisation member "ada"

  @hub-roles @must
  Scenario: a member of no mapped group has the default role
    Then the effective role of "ada" is the default role

  @hub-roles @must
  Scenario: a member of a mapped group gets its role
    Given a group "ops" mapped to the highest role with the members "ada"
    Then the effective role of "ada" is the role of "ops"

  @hub-roles @rfc7644-3.5.2.1 @must
  Scenario: a member added to a mapped group gets its role
    Given a group "ops" mapped to the highest role with the members ""
    When I add "ada" to the group "ops"
    Then the effective role of "ada" is the role of "ops"

  @hub-roles @rfc7644-3.5.2.2 @must
  Scenario: leaving the mapped group revokes the role
    Given a group "ops" mapped to the highest role with the members "ada"
    And the effective role of "ada" is the role of "ops"
    When I remove "ada" from the group "ops"
    Then the effective role of "ada" is the default role

  @hub-roles @must
  Scenario: a member of two mapped groups gets the higher role
    Given a group "ops" mapped to the highest role with the members "ada"
    And a group "lab" mapped to a lower role with the members "ada"
    Then the effective role of "ada" is the role of "ops"

  @hub-roles @rfc7644-3.5.2.2 @must
  Scenario: removing the last admin mapping demotes, removing one of two does not
    Given a group "ops" mapped to the highest role with the members "ada"
    And a group "ops2" mapped like "ops" with the members "ada"
    When I remove "ada" from the group "ops"
    Then the effective role of "ada" is the role of "ops2"
    When I remove "ada" from the group "ops2"
    Then the effective role of "ada" is the default role

  @hub-roles @rfc7644-3.5.2.3 @must
  Scenario: renaming a mapped group to an unmapped name revokes its role
    Given a group "ops" mapped to the highest role with the members "ada"
    And the effective role of "ada" is the role of "ops"
    When I rename the group "ops" to a name no mapping matches
    Then the effective role of "ada" is the default role

  @hub-roles @rfc7644-3.6 @must
  Scenario: deleting a mapped group revokes its role
    Given a group "ops" mapped to the highest role with the members "ada"
    And the effective role of "ada" is the role of "ops"
    When I delete the group "ops"
    Then the effective role of "ada" is the default role

  @hub-roles @rfc7644-3.5.2.2 @must
  Scenario: a mapped resource group is granted and revoked with the group
    Given a group "lab" mapped to a resource group with the members "ada"
    And "ada" has the resource group of "lab"
    When I remove "ada" from the group "lab"
    Then "ada" does not have the resource group of "lab"
