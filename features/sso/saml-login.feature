@sso @saml
Feature: SAML login
  The target logs people in through a SAML 2.0 IdP as each real IdP shapes
  its responses: which element is signed, the NameID format, the attribute
  names. A login counts only when the target's session probe names the user.

  Background:
    Given the target accepts SAML logins
    And a user "ada" exists
    And "ada" is signed in at the IdP

  @saml-prof-4.1.3 @okta
  Scenario: SP-initiated login with Okta's response shape (signed assertion, unsigned response)
    Given the SAML IdP behaves like Okta
    When "ada" logs in through SAML
    Then the target's session belongs to "ada"

  @saml-prof-4.1.3 @entra
  Scenario: SP-initiated login with Entra ID's response shape (emailAddress NameID, claim URIs)
    Given the SAML IdP behaves like Entra ID
    When "ada" logs in through SAML
    Then the target's session belongs to "ada"

  @saml-prof-4.1.3 @google
  Scenario: SP-initiated login with Google Workspace's response shape
    Given the SAML IdP behaves like Google Workspace
    When "ada" logs in through SAML
    Then the target's session belongs to "ada"

  @saml-prof-4.1.3 @onelogin
  Scenario: SP-initiated login with OneLogin's response shape (response and assertion signed)
    Given the SAML IdP behaves like OneLogin
    When "ada" logs in through SAML
    Then the target's session belongs to "ada"

  @saml-prof-4.1.5 @okta
  Scenario: IdP-initiated login from the Okta dashboard
    Given the target accepts IdP-initiated logins
    And the SAML IdP behaves like Okta
    When "ada" logs in through SAML, IdP-initiated
    Then the target's session belongs to "ada"

  @saml-prof-4.1.5 @entra
  Scenario: IdP-initiated login from Entra ID's My Apps
    Given the target accepts IdP-initiated logins
    And the SAML IdP behaves like Entra ID
    When "ada" logs in through SAML, IdP-initiated
    Then the target's session belongs to "ada"

  @saml-prof-4.1.5 @onelogin
  Scenario: IdP-initiated login from the OneLogin portal
    Given the target accepts IdP-initiated logins
    And the SAML IdP behaves like OneLogin
    When "ada" logs in through SAML, IdP-initiated
    Then the target's session belongs to "ada"

  @saml-bind-3.5.3
  Scenario: A RelayState naming a page of the target lands there after login
    Given the target accepts IdP-initiated logins
    When "ada" logs in through SAML, IdP-initiated with the RelayState "the landing page"
    Then the target's session belongs to "ada"
    And the browser landed on the landing page

  @saml-prof-4.1.3
  Scenario: A session belongs to the browser that logged in, not to its address
    Given "ada" is logged in through SAML
    When the browser starts afresh
    Then the target has no session

  @hub-logout
  Scenario: Logging out ends the session
    Given "ada" is logged in through SAML
    When "ada" logs out
    Then the target has no session
