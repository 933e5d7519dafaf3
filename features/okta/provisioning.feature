@okta
Feature: Okta provisions users
  Okta's provisioning, request for request (shared/idp-behaviour.md O1–O29;
  fakes/okta/testdata holds the requests of each row): test connection,
  lookup before create, create with the full profile, profile push as a
  GET and a PUT of what was read, deactivation. State is read back from the
  target after each step. The profile's okta.integration picks the kind of
  app (oin by default, or aiw); where the kind changes what Okta sends, the
  scenario runs in both. Okta looks every user up by filter, so a target
  must support filtering.

  Background:
    Given the target supports filtering

  @okta-test-connection @okta-O1 @rfc7644-3.4.2 @must
  Scenario: Okta's test connection gets ListResponses for /Users and /Groups
    When Okta tests the connection
    Then Okta accepts the connection

  @okta-lookup @okta-create @okta-O5 @okta-O24 @rfc7644-3.3 @must
  Scenario: assigning a new user looks it up, then creates it
    When Okta assigns the user "ada"
    Then Okta created the user "ada"
    And the user "ada" has "userName" equal to the userName of "ada" when read back
    And the user "ada" has "emails[type eq \"work\"].value" equal to the work email of "ada" when read back
    And the user "ada" has "active" equal to "true" when read back

  @okta-create @okta-O5 @rfc7643-3.1 @must
  Scenario: Okta's user id is kept as externalId
    When Okta assigns the user "ada"
    Then the user "ada" has "externalId" equal to the okta id of "ada" when read back

  @okta-O7 @rfc7644-3.3 @must
  Scenario: a create of a userName the target holds is refused with 409, which stops Okta's job
    Given a user "ada" exists
    When Okta creates the user "ada" as after a lookup that found nothing
    Then Okta's create failed with 409, which stops Okta's job

  @okta-lookup @okta-O8 @rfc7644-3.4.2.2 @must
  Scenario: assigning the same user twice creates it once
    When Okta assigns the user "ada"
    And Okta assigns the user "ada" again
    Then Okta linked the existing user "ada" instead of creating one
    And the target holds exactly one user "ada"

  @okta-O8 @okta-O9 @rfc7644-3.5.1 @must
  Scenario Outline: a user found by Okta's lookup is matched and gets Okta's profile (<integration>)
    Given the Okta app is an <integration> integration
    And a user "ada" exists
    When Okta assigns the user "ada"
    Then Okta linked the existing user "ada" instead of creating one
    And the user "ada" has "externalId" equal to the okta id of "ada" when read back
    And the user "ada" has "active" equal to "true" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-lookup @okta-case @rfc7643-4.1.1 @must
  Scenario: an existing account that differs only in case is linked, not duplicated
    Given a user "ada" exists with the userName in upper case
    When Okta assigns the user "ada"
    Then Okta linked the existing user "ada" instead of creating one

  @okta-case @rfc7643-4.1.1 @must
  Scenario: Okta finds a user by login whatever its case
    Given Okta assigns the user "ada"
    Then Okta finds the user "ada" by lookup with the login in upper case

  @okta-put-profile @okta-O9 @okta-O10 @rfc7644-3.5.1 @must
  Scenario Outline: a profile push is a GET and a PUT of the user read back, and keeps the user active (<integration>)
    Given the Okta app is an <integration> integration
    And Okta assigns the user "ada"
    When Okta pushes a profile change of "ada" setting givenName to "Augusta"
    Then the user "ada" has "name.givenName" equal to "Augusta" when read back
    And the user "ada" has "name.familyName" equal to "Tester" when read back
    And the user "ada" has "active" equal to "true" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-put-profile @okta-O9 @rfc7644-3.5.1 @must
  Scenario: a PUT without a password keeps the user's password-less profile valid
    Given the target supports changing passwords
    And Okta assigns the user "ada"
    And Okta syncs a new password for "ada"
    When Okta pushes a profile change of "ada" setting displayName to "Ada Byron"
    Then the user "ada" has "displayName" equal to "Ada Byron" when read back

  @okta-aiw-vs-oin @okta-O9 @rfc7644-3.5.1 @must
  Scenario Outline: the work email changes through Okta's PUT (<integration>)
    Given the Okta app is an <integration> integration
    And Okta assigns the user "ada"
    When Okta pushes a profile change of "ada" setting email to "ada.byron@example.com"
    Then the user "ada" has "emails[type eq \"work\"].value" equal to "ada.byron@example.com" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-patch-active @okta-deactivated-readable @okta-O11 @okta-O12 @rfc7643-4.1.1 @must
  Scenario Outline: deactivation keeps the user, inactive and readable (<integration>)
    Given the Okta app is an <integration> integration
    And Okta assigns the user "ada"
    When Okta deactivates the user "ada"
    Then the user "ada" has "active" equal to "false" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-patch-active @okta-no-delete @must
  Scenario: a deactivated user is still found by Okta's lookup
    Given Okta assigns the user "ada"
    When Okta deactivates the user "ada"
    Then Okta finds the user "ada" by lookup

  @okta-patch-active @okta-O13 @rfc7643-4.1.1 @must
  Scenario Outline: reactivation brings back the same user (<integration>)
    Given the Okta app is an <integration> integration
    And Okta assigns the user "ada"
    And Okta deactivates the user "ada"
    When Okta reactivates the user "ada"
    Then the user "ada" has "active" equal to "true" when read back
    And the user "ada" has "userName" equal to the userName of "ada" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-O28 @okta-no-delete @rfc7643-4.1.1 @must
  Scenario Outline: a user deactivated, then assigned again, is matched and active again, not duplicated (<integration>)
    Given the Okta app is an <integration> integration
    And Okta assigns the user "ada"
    And Okta deactivates the user "ada"
    When Okta assigns the user "ada" again
    Then Okta linked the existing user "ada" instead of creating one
    And the user "ada" has "active" equal to "true" when read back
    And the user "ada" has "externalId" equal to the okta id of "ada" when read back
    And the target holds exactly one user "ada"

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-patch-password @okta-O14 @rfc7643-4.1.1 @must
  Scenario Outline: a password sync is accepted and never returned (<integration>)
    Given the target supports changing passwords
    And the Okta app is an <integration> integration
    And Okta assigns the user "ada"
    When Okta syncs a new password for "ada"
    Then the user "ada" has no "password" when read back
    And the user "ada" has "active" equal to "true" when read back

    Examples:
      | integration |
      | OIN         |
      | AIW         |

  @okta-paging @okta-O16 @rfc7644-3.4.2.4 @must
  Scenario: Okta's import pages through every user once
    Given Okta assigns the users "u1, u2, u3, u4, u5"
    When Okta imports the scenario's users with pages of 2
    Then Okta's import holds exactly the users "u1, u2, u3, u4, u5", each once

  @okta-O16 @must
  Scenario: Okta's import advances startIndex by its count, so a target's short pages lose users
    Given Okta assigns the users "u1, u2, u3, u4, u5, u6, u7"
    When Okta imports the scenario's users with pages of 5
    Then Okta's import holds exactly the users "u1, u2, u3, u4, u5, u6, u7", each once

  @okta-rate @must
  Scenario: a burst of lookups is answered, or limited with Retry-After
    When Okta sends 30 lookups at once
    Then every answer is 200, or 429 with a Retry-After header
