@lifecycle @resource-groups @hub-HX6 @rfc7643-4.2
Feature: SCIM groups linked to resource groups
  A SCIM group linked to one of the target's resource groups, with a role,
  manages that resource group's membership: its members join at once
  (backfill) and as they are added, leave when they leave it or it is
  deleted, all take a new role together, and a manual change to such a
  membership is refused with 403. Only an empty resource group can be
  linked. The profile's resourceGroups section says how to reach them.

  Background:
    Given the target has resource groups
    And an organisation member "ada"

  @must
  Scenario: linking a group adds its members to the resource group
    Given a group "team" with the members "ada"
    And a resource group "models"
    When I link "team" to the resource group "models"
    Then "ada" is in the resource group "models" with the first role

  @rfc7644-3.5.2.1 @must
  Scenario: a member added to a linked group joins the resource group
    Given a group "team" with no members
    And a resource group "models"
    And the group "team" is linked to the resource group "models"
    When I add "ada" to the group "team"
    Then "ada" is in the resource group "models" with the first role

  @rfc7644-3.5.2.2 @must
  Scenario: a member who leaves the linked group leaves the resource group
    Given a group "team" with the members "ada"
    And a resource group "models"
    And the group "team" is linked to the resource group "models"
    When I remove "ada" from the group "team"
    Then "ada" is not in the resource group "models"

  @rfc7644-3.6 @must
  Scenario: deleting the linked group removes its members from the resource group
    Given a group "team" with the members "ada"
    And a resource group "models"
    And the group "team" is linked to the resource group "models"
    When I delete the group "team"
    Then "ada" is not in the resource group "models"

  @must
  Scenario: changing the linked group's role changes it for every member
    Given an organisation member "bob"
    And a group "team" with the members "ada,bob"
    And a resource group "models"
    And the group "team" is linked to the resource group "models"
    When I change the role of the group "team" in the resource group "models"
    Then "ada" is in the resource group "models" with the second role
    And "bob" is in the resource group "models" with the second role

  @must
  Scenario: a membership the linked group manages cannot be removed by hand
    Given a group "team" with the members "ada"
    And a resource group "models"
    And the group "team" is linked to the resource group "models"
    Then removing "ada" from the resource group "models" by hand is refused with 403
    And "ada" is in the resource group "models" with the first role

  @must
  Scenario: a linked resource group takes no member by hand
    Given an organisation member "bob"
    And a group "team" with the members "ada"
    And a resource group "models"
    And the group "team" is linked to the resource group "models"
    Then adding "bob" to the resource group "models" by hand is refused with 403
    And "bob" is not in the resource group "models"

  @must
  Scenario: only an empty resource group can be linked
    Given a group "team" with the members "ada"
    And a resource group "models" with the member "ada"
    Then linking the group "team" to the resource group "models" is refused
