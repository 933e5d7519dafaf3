@entra
Feature: Entra under load, throttling and quarantine
  Gallery apps must "support at least 25 requests per second per tenant"
  (E34); on 429 Entra pauses for Retry-After and retries only the failed
  requests (E33). When most calls fail the job goes into quarantine, its
  cycles 6, 12, then 24 hours apart, and after four weeks it is disabled
  (E31).

  Background:
    Given the target supports filtering

  @entra-E34 @entra-E33 @must @paced
  Scenario: the target serves Entra at 25 requests a second
    Given an Entra tenant with 12 more users in scope
    And the Entra job sends 25 requests a second
    When the Entra job runs its initial cycle
    Then the cycle succeeded

  @entra-E31 @entra-quarantine @rfc7644-2 @must
  Scenario: a job refused for four weeks is disabled
    Given an Entra tenant with the users "ada" in scope
    And the Entra job authenticates with a revoked token
    When the Entra job runs cycles until it is disabled
    Then the Entra job is disabled after four weeks in quarantine
