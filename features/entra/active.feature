@entra
Feature: The shapes of active that Entra sends
  Besides "False" (legacy) and false (with the flag), tenants see Entra
  disable with op "Add", send the lower-case string "false", re-send
  active=true every cycle, and, through a Switch() mapping such as the
  Hugging Face guide's, send the strings "True"/"False" even with the flag
  (shared/idp-behaviour.md E13).

  Background:
    Given the target supports filtering
    And an Entra tenant with the users "ada, bob" in scope

  @entra-E13 @rfc7643-4.1.1 @must
  Scenario: a disable sent as an Add of active is stored
    Given the Entra job sends active with op Add
    And the Entra job runs its initial cycle
    And in Entra, "ada" is disabled
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "active" equal to "false" when read back

  @entra-E13 @rfc7643-4.1.1 @must
  Scenario: a disable sent as the lower-case string "false" is stored
    Given the Entra job sends active as lower-case strings
    And the Entra job runs its initial cycle
    And in Entra, "ada" is disabled
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "active" equal to "false" when read back

  @entra-E13 @entra-string-bool @rfc7643-4.1.1 @must
  Scenario: a Switch() mapping sends "False" even with the compliance flag
    Given the Entra job uses the compliant PATCH dialect
    And the Entra job sends active through a Switch() mapping
    And the Entra job runs its initial cycle
    And in Entra, "bob" is disabled
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "bob" has "active" equal to "false" when read back

  @entra-E13 @rfc7643-4.1.1 @must
  Scenario: the periodic active=true changes nothing else
    Given the Entra job re-sends active=true every cycle
    And the Entra job runs its initial cycle
    When the Entra job runs 2 cycles
    Then the cycle succeeded
    And the user "ada" has "active" equal to "true" when read back
    And the user "ada" has "name.givenName" equal to "Ada" when read back
