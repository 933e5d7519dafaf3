@sso @scim
Feature: SCIM and SSO together
  Provisioning and login meet in one user store: a SCIM-provisioned user
  logs in to the same account, and a SCIM deactivation locks the person out
  of SSO, which JIT must not undo.
  Tagged @scim: these scenarios provision and deactivate over SCIM, so a
  profile without a scim section skips them.

  @saml @J-09 @okta
  Scenario: A SCIM-provisioned user logs in through SAML to the same account, whatever the case of the NameID
    Given the target accepts SAML logins
    And a user "ada" exists
    And "ada" is signed in at the IdP with the userName in upper case
    When "ada" logs in through SAML
    Then the target's session belongs to "ada"
    And the target holds exactly one user "ada"

  @oidc @J-09
  Scenario: A SCIM-provisioned user logs in through OIDC to the same account, whatever the case of the username
    Given the target accepts OIDC logins
    And a user "ada" exists
    And "ada" is signed in at the IdP with the userName in upper case
    When "ada" logs in through OIDC
    Then the target's session belongs to "ada"
    And the target holds exactly one user "ada"

  @saml @J-08 @rfc7643-4.1.1
  Scenario: A user deactivated through SCIM cannot log in through SAML
    Given the target accepts SAML logins
    And a user "ada" exists
    And "ada" is signed in at the IdP
    And "ada" can log in through SAML
    And the user "ada" is deactivated
    When "ada" logs in through SAML
    Then the target has no session

  @oidc @J-08 @rfc7643-4.1.1
  Scenario: A user deactivated through SCIM cannot log in through OIDC
    Given the target accepts OIDC logins
    And a user "ada" exists
    And "ada" is signed in at the IdP
    And "ada" can log in through OIDC
    And the user "ada" is deactivated
    When "ada" logs in through OIDC
    Then the target has no session

  @saml @jit @J-08 @rfc7643-4.1.1
  Scenario: A login does not reactivate a user deactivated through SCIM, even with JIT on
    Given the target accepts SAML logins
    And the target provisions users just in time
    And a user "ada" exists
    And "ada" is signed in at the IdP
    And "ada" can log in through SAML
    And the user "ada" is deactivated
    When "ada" logs in through SAML
    Then the target has no session
    And the user "ada" has "active" equal to "false" when read back

  @saml @J-08 @rfc7643-4.1.1
  Scenario: Deactivation through SCIM ends a live session
    Given the target accepts SAML logins
    And the target ends sessions on deactivation
    And a user "ada" exists
    And "ada" is signed in at the IdP
    And "ada" is logged in through SAML
    When the user "ada" is deactivated
    Then the target has no session

  @saml @J-08 @rfc7644-3.6
  Scenario: Deleting a user through SCIM ends their live session
    Given the target accepts SAML logins
    And the target ends sessions on deactivation
    And a user "ada" exists
    And "ada" is signed in at the IdP
    And "ada" is logged in through SAML
    When I delete the user "ada"
    Then the target has no session
