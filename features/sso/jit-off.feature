@sso @scim @jit @jit-off
Feature: Logins without just-in-time provisioning
  A target that provisions through SCIM only must refuse a person SCIM has
  not provisioned, and create nothing.
  Tagged @scim: that nothing was created is read over SCIM.

  Background:
    Given the target accepts SAML logins
    And the target does not provision users just in time

  @saml @J-01
  Scenario: With JIT off, an unknown user is refused and nothing is created
    A user SCIM provisioned logs in first, so the refusal is the target's
    JIT setting at work and not a login that never works.

    Given a user "ada" exists
    And "ada" is signed in at the IdP
    And "ada" can log in through SAML
    And "grace" is signed in at the IdP
    When "grace" logs in through SAML
    Then the target has no session
    And no user "grace" exists
