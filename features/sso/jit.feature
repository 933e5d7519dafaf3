@sso @scim @jit
Feature: Just-in-time provisioning
  An IdP without SCIM (Google Workspace's custom SAML apps) provisions by
  logging people in: the first login creates the user with the mapped
  attributes, later logins update them, and the groups asserted replace the
  user's memberships. What JIT does must be visible through SCIM.
  Tagged @scim: the attributes and groups are read back over SCIM.

  Background:
    Given the target accepts SAML logins
    And the target provisions users just in time

  @saml @J-01 @saml-core-2.7.3 @google
  Scenario: The first login creates the user with the asserted attributes
    Given the SAML IdP behaves like Google Workspace
    And "grace" is signed in at the IdP
    When "grace" logs in through SAML
    Then the target's session belongs to "grace"
    And the target now has a user "grace"
    And the user "grace" has "name.givenName" equal to "Grace" when read back
    And the user "grace" has "name.familyName" equal to "Tester" when read back
    And the user "grace" has "emails[primary eq true].value" equal to "{{workEmail:grace}}" when read back

  @saml @J-01 @saml-core-2.7.3 @entra
  Scenario: Entra ID's claim URIs map to the same attributes
    Given the SAML IdP behaves like Entra ID
    And "grace" is signed in at the IdP
    When "grace" logs in through SAML
    Then the target now has a user "grace"
    And the user "grace" has "name.givenName" equal to "Grace" when read back
    And the user "grace" has "emails[primary eq true].value" equal to "{{workEmail:grace}}" when read back

  @saml @J-02 @google
  Scenario: A later login with changed attributes updates the user
    Given the SAML IdP behaves like Google Workspace
    And "grace" is signed in at the IdP
    And "grace" logs in through SAML
    And the target now has a user "grace"
    When the IdP now asserts the given name "Gracie"
    And the IdP now asserts the email "{{prefix}}gracie@example.com"
    And the browser starts afresh
    And "grace" logs in through SAML
    Then the target's session belongs to "grace"
    And the user "grace" has "name.givenName" equal to "Gracie" when read back
    And the user "grace" has "emails[primary eq true].value" equal to "{{prefix}}gracie@example.com" when read back

  @saml @J-03 @google
  Scenario: The groups of a later login replace the user's memberships
    Given a group "eng" with no members
    And a group "ops" with no members
    And the SAML IdP behaves like Google Workspace
    And "grace" is signed in at the IdP with the groups "eng, ops"
    And "grace" logs in through SAML
    And the target now has a user "grace"
    When the IdP now asserts the groups "ops"
    And the browser starts afresh
    And "grace" logs in through SAML
    Then the group "ops" has exactly the members "grace" when read back
    And the group "eng" has exactly the members "" when read back

  @saml @J-06 @google
  Scenario: All 75 groups Google Workspace sends count, the last one too
    Given a group "eng" with no members
    And the SAML IdP behaves like Google Workspace
    And "grace" is signed in at the IdP
    And the IdP asserts 75 groups, the groups "eng" last
    When "grace" logs in through SAML
    Then the target's session belongs to "grace"
    And the target now has a user "grace"
    And the group "eng" has exactly the members "grace" when read back

  @oidc @J-01 @oidc-core-5.1
  Scenario: The first OIDC login creates the user from the ID token and userinfo claims
    Given the target accepts OIDC logins
    And "grace" is signed in at the IdP
    When "grace" logs in through OIDC
    Then the target's session belongs to "grace"
    And the target now has a user "grace"
    And the user "grace" has "name.givenName" equal to "Grace" when read back
    And the user "grace" has "emails[primary eq true].value" equal to "{{workEmail:grace}}" when read back
