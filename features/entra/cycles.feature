@entra
Feature: Entra provisioning cycles
  Entra's provisioning job runs an initial cycle, then incremental cycles
  every 40 minutes (simulated: no waiting). It looks users up before it
  creates them and sends only changes afterwards. Legacy dialect unless a
  scenario says compliant (the aadOptscim062020 flag).

  Background:
    Given the target supports filtering
    And an Entra tenant with the users "ada, bob" in scope

  @entra-cycles @entra-create @rfc7644-3.3 @must
  Scenario: the initial cycle creates every user in scope
    When the Entra job runs its initial cycle
    Then the cycle succeeded
    And the user "ada" has "userName" equal to the userName of "ada" when read back
    And the user "bob" has "externalId" equal to the object id of "bob" when read back

  @entra-cycles @entra-create @rfc7643-3.3 @must
  Scenario: the initial cycle stores the enterprise extension
    Given the target offers the enterprise extension
    When the Entra job runs its initial cycle
    Then the cycle succeeded
    And the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Research" when read back

  @entra-cycles @entra-lookup @rfc7644-3.4.2.2 @must
  Scenario: a cycle without changes creates nothing
    Given the Entra job runs its initial cycle
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the cycle sent no create
    And the target holds exactly one user "ada"

  @entra-cycles @entra-lookup @entra-E42 @rfc7644-3.4.2.2 @must
  Scenario: a restarted job matches the users it provisioned before
    Given the Entra job runs its initial cycle
    When the Entra provisioning is restarted
    And the Entra job runs its initial cycle
    Then the cycle succeeded
    And the cycle sent no create
    And the target holds exactly one user "ada"

  @entra-lookup @rfc7644-3.4.2.2 @must
  Scenario: an existing account with the same userName is matched, not duplicated
    Given a user "ada" exists
    When the Entra job runs its initial cycle
    Then the cycle succeeded
    And the target holds exactly one user "ada"
    And the user "ada" has "externalId" equal to the object id of "ada" when read back

  @entra-lookup @rfc7643-3.1 @must
  Scenario: matching on externalId finds the account
    Given a user "old" exists with the externalId of Entra's "ada"
    And the Entra job matches users on externalId
    When the Entra job runs its initial cycle
    Then the cycle succeeded
    And the Entra job linked "ada" to the user "old"
    And the user "old" has "userName" equal to the userName of "ada" when read back

  @entra-ext-path @entra-patch-op-case @rfc7644-3.5.2.3 @must
  Scenario: a changed department arrives on the extension's path
    Given the target offers the enterprise extension
    And the Entra job runs its initial cycle
    And in Entra, "ada" gets the department "Sales"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Sales" when read back

  @entra-valuepath @entra-patch-op-case @entra-E4 @rfc7644-3.5.2.3 @must
  Scenario: changed attributes arrive as legacy PATCH operations
    Given the Entra job runs its initial cycle
    And in Entra, "ada" gets the mail "{{prefix}}ada.new@example.com"
    And in Entra, "ada" gets the givenName "Augusta"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "emails[type eq \"work\"].value" equal to "{{prefix}}ada.new@example.com" when read back
    And the user "ada" has "name.givenName" equal to "Augusta" when read back

  @entra-flag @entra-valuepath @rfc7644-3.5.2.3 @must
  Scenario: changed attributes arrive as compliant PATCH operations
    Given the Entra job uses the compliant PATCH dialect
    And the Entra job runs its initial cycle
    And in Entra, "bob" gets the surname "Builder"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "bob" has "name.familyName" equal to "Builder" when read back
    And the user "bob" has "name.givenName" equal to "Bob" when read back

  @entra-nopath-object @rfc7644-3.5.2.3 @must
  Scenario: a path-less Replace with an object changes several attributes
    Given the Entra job sends updates without a path
    And the Entra job runs its initial cycle
    And in Entra, "ada" gets the displayName "Countess Ada"
    And in Entra, "ada" gets the givenName "Augusta"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "displayName" equal to "Countess Ada" when read back
    And the user "ada" has "name.givenName" equal to "Augusta" when read back

  @entra-add-vs-replace @rfc7644-3.5.2.1 @must
  Scenario: an attribute that had no value is set with Add
    Given the target offers the enterprise extension
    And in Entra, "ada" gets the department ""
    And the Entra job runs its initial cycle
    And in Entra, "ada" gets the department "Finance"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department" equal to "Finance" when read back

  @entra-lookup @rfc7644-3.5.2.3 @must
  Scenario: a renamed user keeps its id
    Given the Entra job runs its initial cycle
    And in Entra, "ada" gets the userPrincipalName of "ada2"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "userName" equal to the userName of "ada2" when read back

  @entra-retry @rfc7644-3.12 @must
  Scenario: a user the target refuses does not stop the cycle
    Given in Entra, "bob" gets a userName longer than the target allows
    When the Entra job runs its initial cycle
    Then the cycle failed for "bob" only
    And the user "ada" has "userName" equal to the userName of "ada" when read back

  @entra-retry @must
  Scenario: a refused user is provisioned once it is fixed
    Given in Entra, "bob" gets a userName longer than the target allows
    And the Entra job runs its initial cycle
    And in Entra, "bob" gets the userPrincipalName of "bob"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "bob" has "userName" equal to the userName of "bob" when read back

  @entra-quarantine @rfc7644-2 @must
  Scenario: a job whose every call is refused goes into quarantine
    Given the Entra job authenticates with a revoked token
    When the Entra job runs 3 cycles
    Then the Entra job is in quarantine, its next cycle at least 4 hours away
