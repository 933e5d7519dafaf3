@okta
Feature: Okta provisions users
  Okta's provisioning, request for request: test connection, lookup before
  create, create with the full profile, profile push, deactivation as a
  path-less PATCH. State is read back from the target after each step.
  Okta looks every user up by filter, so a target must support filtering.

  Background:
    Given the target supports filtering

  @okta-test-connection @rfc7644-3.4.2 @must
  Scenario: Okta's test connection gets a ListResponse
    When Okta tests the connection
    Then Okta accepts the connection

  @okta-lookup @okta-create @rfc7644-3.3 @must
  Scenario: assigning a new user looks it up, then creates it
    When Okta assigns the user "ada"
    Then Okta created the user "ada"
    And the user "ada" has "userName" equal to the userName of "ada" when read back
    And the user "ada" has "emails[type eq \"work\"].value" equal to the work email of "ada" when read back
    And the user "ada" has "active" equal to "true" when read back

  @okta-create @rfc7643-3.1 @must
  Scenario: Okta's user id is kept as externalId
    When Okta assigns the user "ada"
    Then the user "ada" has "externalId" equal to the okta id of "ada" when read back

  @okta-lookup @rfc7644-3.4.2.2 @must
  Scenario: assigning the same user twice creates it once
    When Okta assigns the user "ada"
    And Okta assigns the user "ada" again
    Then Okta linked the existing user "ada" instead of creating one
    And the target holds exactly one user "ada"

  @okta-lookup @okta-case @rfc7643-4.1.1 @must
  Scenario: an existing account that differs only in case is linked, not duplicated
    Given a user "ada" exists with the userName in upper case
    When Okta assigns the user "ada"
    Then Okta linked the existing user "ada" instead of creating one

  @okta-case @rfc7643-4.1.1 @must
  Scenario: Okta finds a user by login whatever its case
    Given Okta assigns the user "ada"
    Then Okta finds the user "ada" by lookup with the login in upper case

  @okta-put-profile @rfc7644-3.5.1 @must
  Scenario: a profile push with PUT changes the attribute and keeps the user active
    Given Okta assigns the user "ada"
    When Okta pushes a profile change of "ada" setting givenName to "Augusta"
    Then the user "ada" has "name.givenName" equal to "Augusta" when read back
    And the user "ada" has "active" equal to "true" when read back

  @okta-put-profile @rfc7644-3.5.1 @must
  Scenario: a PUT without a password keeps the user's password-less profile valid
    Given the target supports changing passwords
    And Okta assigns the user "ada"
    And Okta syncs a new password for "ada"
    When Okta pushes a profile change of "ada" setting displayName to "Ada Byron"
    Then the user "ada" has "displayName" equal to "Ada Byron" when read back

  @okta-aiw-vs-oin @rfc7644-3.5.2.3 @must
  Scenario: an OIN-template app pushes profile changes with PATCH
    Given Okta pushes profile updates with PATCH
    And Okta assigns the user "ada"
    When Okta pushes a profile change of "ada" setting familyName to "Byron"
    Then the user "ada" has "name.familyName" equal to "Byron" when read back
    And the user "ada" has "name.givenName" equal to "Ada" when read back

  @okta-aiw-vs-oin @entra-valuepath @rfc7644-3.5.2.3 @must
  Scenario: an OIN-template app changes the work email through a value filter
    Given Okta pushes profile updates with PATCH
    And Okta assigns the user "ada"
    When Okta pushes a profile change of "ada" setting email to "ada.byron@example.com"
    Then the user "ada" has "emails[type eq \"work\"].value" equal to "ada.byron@example.com" when read back

  @okta-patch-active @okta-deactivated-readable @rfc7643-4.1.1 @must
  Scenario: deactivation keeps the user, inactive and readable
    Given Okta assigns the user "ada"
    When Okta deactivates the user "ada"
    Then the user "ada" has "active" equal to "false" when read back

  @okta-patch-active @okta-no-delete @must
  Scenario: a deactivated user is still found by Okta's lookup
    Given Okta assigns the user "ada"
    When Okta deactivates the user "ada"
    Then Okta finds the user "ada" by lookup

  @okta-patch-active @rfc7643-4.1.1 @must
  Scenario: reactivation brings back the same user
    Given Okta assigns the user "ada"
    And Okta deactivates the user "ada"
    When Okta reactivates the user "ada"
    Then the user "ada" has "active" equal to "true" when read back
    And the user "ada" has "userName" equal to the userName of "ada" when read back

  @okta-patch-password @rfc7643-4.1.1 @must
  Scenario: a password sync is accepted and never returned
    Given the target supports changing passwords
    And Okta assigns the user "ada"
    When Okta syncs a new password for "ada"
    Then the user "ada" has no "password" when read back

  @okta-paging @rfc7644-3.4.2.4 @must
  Scenario: Okta's import pages through every user once
    Given Okta assigns the users "u1, u2, u3, u4, u5"
    When Okta imports the scenario's users with pages of 2
    Then Okta's import holds exactly the users "u1, u2, u3, u4, u5", each once

  @okta-rate @must
  Scenario: a burst of lookups is answered, or limited with Retry-After
    When Okta sends 30 lookups at once
    Then every answer is 200, or 429 with a Retry-After header
