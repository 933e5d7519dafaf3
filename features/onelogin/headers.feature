@onelogin
Feature: OneLogin's Content-Type without the custom header
  Vendors tell OneLogin admins to add the custom header "Content-Type:
  application/scim+json" (shared/idp-behaviour.md L5): an app without it
  sends its bodies as plain application/json (OneLogin does not document its
  default). RFC 7644 names application/scim+json; a target that refuses
  application/json refuses every such app, a warning for OneLogin's
  customers and a violation in the onelogin view.

  @onelogin-L5 @onelogin-L1 @must
  Scenario: a create sent as application/json, without the custom header, is accepted
    When OneLogin provisions the user "ada"
    Then the user "ada" has "userName" equal to the userName of "ada" when read back
