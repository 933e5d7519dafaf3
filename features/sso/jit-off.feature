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
    Given "grace" is signed in at the IdP
    When "grace" logs in through SAML
    Then the target has no session
    And no user "grace" exists
