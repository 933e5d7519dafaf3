@entra
Feature: Entra deprovisioning and the manager attribute
  Disabling, leaving scope and soft deletion send active false (as the
  string "False" in legacy); a hard delete sends DELETE. The validator then
  expects the disabled user to be readable with active false.

  Background:
    Given the target supports filtering
    And an Entra tenant with the users "ada, bob" in scope
    And the Entra job runs its initial cycle

  @entra-disable @entra-string-bool @rfc7643-4.1.1 @must
  Scenario: disabling sends active "False" and the user stays readable
    Given in Entra, "ada" is disabled
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "active" equal to "false" when read back

  @entra-disable @entra-flag @rfc7643-4.1.1 @must
  Scenario: disabling with the compliant dialect sends a JSON boolean
    Given the Entra job uses the compliant PATCH dialect
    And in Entra, "bob" is disabled
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "bob" has "active" equal to "false" when read back

  @entra-disable @entra-string-bool @rfc7643-4.1.1 @must
  Scenario: re-enabling brings back the same user
    Given in Entra, "ada" is disabled
    And the Entra job runs an incremental cycle
    And in Entra, "ada" is enabled
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "active" equal to "true" when read back

  @entra-disable @rfc7643-4.1.1 @must
  Scenario: leaving the app's scope deactivates without deleting
    Given in Entra, "ada" is removed from the app's scope
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the cycle sent no delete
    And the user "ada" has "active" equal to "false" when read back

  @entra-disable @rfc7644-3.6 @must
  Scenario: a soft delete deactivates, a hard delete removes
    Given in Entra, "ada" is soft-deleted
    And the Entra job runs an incremental cycle
    And the user "ada" has "active" equal to "false" when read back
    And in Entra, "ada" is hard-deleted
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And reading the user "ada" answers 404

  @entra-disable @entra-string-bool @rfc7644-3.4.2.2 @must
  Scenario: a disabled user is found by filter with active false
    Given in Entra, "ada" is disabled
    And the Entra job runs an incremental cycle
    When I filter users by userName eq "{{userName:ada}}" and active eq false
    Then the list contains exactly the users "ada"

  @entra-manager @entra-E17 @rfc7643-3.3 @must
  Scenario: a manager is set on path "manager" with $ref after a query (legacy array)
    Given the target offers the enterprise extension
    And in Entra, "ada" gets the manager "bob"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value" equal to the id of "bob" when read back

  @entra-manager @entra-E17 @entra-flag @rfc7643-3.3 @must
  Scenario: a manager is set the same way with the compliance flag
    Given the target offers the enterprise extension
    And the Entra job uses the compliant PATCH dialect
    And in Entra, "bob" gets the manager "ada"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "bob" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value" equal to the id of "ada" when read back

  @entra-manager @entra-E17 @rfc7644-3.5.2.3 @must
  Scenario: a manager is removed with a Replace with an empty value
    Given the target offers the enterprise extension
    And in Entra, "ada" gets the manager "bob"
    And the Entra job runs an incremental cycle
    And in Entra, "ada" loses the manager
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has no "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager" when read back
