@okta
Feature: Okta Group Push
  Okta pushes groups by displayName (shared/idp-behaviour.md O17–O23): a
  lookup, a create with "members": [] and the members added after, a rename
  as a path-less replace of id and displayName, and every membership change
  as one PATCH of removals and additions (or a full replace of members),
  followed by a GET of the group and the rename sent again. Apps made with
  the App Integration Wizard (AIW) PUT the whole group instead.

  Background:
    Given the target supports groups
    And the target supports filtering
    And Okta assigns the users "ada, bob, cyd"

  @okta-group-push @okta-O17 @okta-O20 @rfc7644-3.3 @must
  Scenario Outline: pushing a group creates it empty, then adds its members (<integration>)
    Given the Okta app is an <integration> integration
    When Okta pushes the group "eng" with the members "ada, bob"
    Then the group "eng" has exactly the members "ada, bob" when read back
    And the group "eng" has "displayName" equal to the displayName of "eng" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-group-push @rfc7644-3.4.2.2 @must
  Scenario: pushing the same group again links it
    Given Okta pushes the group "eng" with the members "ada"
    When Okta pushes the group "eng" with the members "ada" again
    Then Okta linked the existing group "eng" instead of creating one

  @okta-group-push @okta-O19 @okta-O22 @rfc7644-3.5.2.3 @must
  Scenario Outline: a rename keeps the members (<integration>)
    Given the Okta app is an <integration> integration
    And Okta pushes the group "eng" with the members "ada"
    When Okta renames the group "eng" to the displayName of "platform"
    Then the group "eng" has "displayName" equal to the displayName of "platform" when read back
    And the group "eng" has exactly the members "ada" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-group-push @okta-O20 @rfc7644-3.5.2.1 @must
  Scenario Outline: members are added, and the name Okta sends again with them is kept (<integration>)
    Given the Okta app is an <integration> integration
    And Okta pushes the group "eng" with the members "ada"
    When Okta adds "bob, cyd" to the group "eng"
    Then the group "eng" has exactly the members "ada, bob, cyd" when read back
    And the group "eng" has "displayName" equal to the displayName of "eng" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-group-push @okta-O20 @rfc7644-3.5.2.3 @must
  Scenario: after a rename, membership changes send the new name again and it stays
    Given Okta pushes the group "eng" with the members "ada"
    And Okta renames the group "eng" to the displayName of "platform"
    When Okta adds "bob" to the group "eng"
    Then the group "eng" has "displayName" equal to the displayName of "platform" when read back
    And the group "eng" has exactly the members "ada, bob" when read back

  @okta-group-push @rfc7644-3.5.2.2 @must
  Scenario: a member is removed with a value filter
    Given Okta pushes the group "eng" with the members "ada, bob, cyd"
    When Okta removes "bob" from the group "eng"
    Then the group "eng" has exactly the members "ada, cyd" when read back

  @okta-group-push @okta-O21 @okta-O22 @rfc7644-3.5.2.1 @rfc7644-3.5.2.2 @must
  Scenario Outline: a removal and an addition in one change (<integration>)
    Given the Okta app is an <integration> integration
    And Okta pushes the group "eng" with the members "ada, bob"
    When Okta removes "ada" and adds "cyd" in one change to the group "eng"
    Then the group "eng" has exactly the members "bob, cyd" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-group-push @okta-O21 @okta-O22 @rfc7644-3.5.2.3 @must
  Scenario Outline: a full replace of the members (<integration>)
    Given the Okta app is an <integration> integration
    And Okta pushes the group "eng" with the members "ada, bob"
    When Okta replaces the members of the group "eng" with "bob, cyd"
    Then the group "eng" has exactly the members "bob, cyd" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-group-push @rfc7644-3.5.2.1 @rfc7644-3.5.2.2 @must
  Scenario: membership churn ends in the right set
    Given Okta pushes the group "eng" with the members "ada"
    When Okta adds "bob, cyd" to the group "eng"
    And Okta removes "ada" from the group "eng"
    And Okta removes "cyd" from the group "eng"
    And Okta adds "ada" to the group "eng"
    Then the group "eng" has exactly the members "ada, bob" when read back

  @okta-O16 @rfc7644-3.4.2.4 @must
  Scenario: Okta's group import pages through every group once
    Given Okta pushes the group "g1" with the members "ada"
    And Okta pushes the group "g2" with the members "bob"
    And Okta pushes the group "g3" with the members ""
    When Okta imports the scenario's groups with pages of 2
    Then Okta's group import holds exactly the groups "g1, g2, g3", each once

  @okta-group-push @okta-O23 @rfc7644-3.6 @must
  Scenario: unlinking a push with delete removes the group
    Given Okta pushes the group "eng" with the members "ada"
    When Okta deletes the group "eng"
    Then reading the group "eng" answers 404
