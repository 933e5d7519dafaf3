@okta
Feature: Okta Group Push
  Okta pushes groups by displayName: lookup, create with members, rename
  with a path-less replace, member add and remove by PATCH, delete.

  Background:
    Given the target supports groups
    And the target supports filtering
    And Okta assigns the users "ada, bob, cyd"

  @okta-group-push @rfc7644-3.3 @must
  Scenario: pushing a group creates it with its members
    When Okta pushes the group "eng" with the members "ada, bob"
    Then the group "eng" has exactly the members "ada, bob" when read back

  @okta-group-push @rfc7644-3.4.2.2 @must
  Scenario: pushing the same group again links it
    Given Okta pushes the group "eng" with the members "ada"
    When Okta pushes the group "eng" with the members "ada" again
    Then Okta linked the existing group "eng" instead of creating one

  @okta-group-push @rfc7644-3.5.2.3 @must
  Scenario: a rename is a path-less replace carrying id and displayName
    Given Okta pushes the group "eng" with the members "ada"
    When Okta renames the group "eng" to the displayName of "platform"
    Then the group "eng" has "displayName" equal to the displayName of "platform" when read back
    And the group "eng" has exactly the members "ada" when read back

  @okta-group-push @rfc7644-3.5.2.1 @must
  Scenario: members are added with PATCH add
    Given Okta pushes the group "eng" with the members "ada"
    When Okta adds "bob, cyd" to the group "eng"
    Then the group "eng" has exactly the members "ada, bob, cyd" when read back

  @okta-group-push @rfc7644-3.5.2.2 @must
  Scenario: a member is removed with a value filter
    Given Okta pushes the group "eng" with the members "ada, bob, cyd"
    When Okta removes "bob" from the group "eng"
    Then the group "eng" has exactly the members "ada, cyd" when read back

  @okta-group-push @rfc7644-3.5.2.1 @rfc7644-3.5.2.2 @must
  Scenario: membership churn ends in the right set
    Given Okta pushes the group "eng" with the members "ada"
    When Okta adds "bob, cyd" to the group "eng"
    And Okta removes "ada" from the group "eng"
    And Okta removes "cyd" from the group "eng"
    And Okta adds "ada" to the group "eng"
    Then the group "eng" has exactly the members "ada, bob" when read back

  @okta-group-push @rfc7644-3.6 @must
  Scenario: unlinking a push with delete removes the group
    Given Okta pushes the group "eng" with the members "ada"
    When Okta deletes the group "eng"
    Then reading the group "eng" answers 404
