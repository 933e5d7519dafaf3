@onelogin
Feature: OneLogin provisions users from a SCIM JSON template
  OneLogin's "SCIM Provisioner with SAML" (shared/idp-behaviour.md L1–L7;
  fakes/onelogin/testdata holds the requests of each row) sends each user as
  the admin's SCIM JSON template with its {$user.…} placeholders filled in as
  text. Vendors publish templates that send "id": null and "active" as a
  string, and the core-schema app's template still declares the SCIM 1.1
  URN. The app here carries the custom header vendors tell admins to add
  (L5); headers.feature checks an app without it. A target may refuse what
  the RFCs let it refuse: a warning for OneLogin's customers, a violation in
  the onelogin view.

  Background:
    Given OneLogin's app sends the custom header "Content-Type: application/scim+json"

  @onelogin-L6 @onelogin-L1 @rfc7644-3.4.2 @must
  Scenario: enabling provisioning makes a connection attempt the target answers with a ListResponse
    When OneLogin enables provisioning
    Then OneLogin's connection attempt succeeded

  @onelogin-L1 @rfc7644-3.3 @rfc7643-4.1.2 @must
  Scenario Outline: OneLogin creates a user from the <template> template
    Given OneLogin's SCIM JSON template is the <template> one
    When OneLogin provisions the user "ada"
    Then the user "ada" has "userName" equal to the userName of "ada" when read back
    And the user "ada" has "name.givenName" equal to "Ada" when read back
    And the user "ada" has "emails[type eq \"work\"].value" equal to the work email of "ada" when read back

    Examples: the SCIM v2 Enterprise app's template
      | template   |
      | enterprise |

    @onelogin-L2
    Examples: a vendor's template, with "id": null
      | template |
      | vendor   |

  @onelogin-L2 @must
  Scenario: a vendor template's "active": "true", a string, is stored as active
    Given OneLogin's SCIM JSON template is the vendor one
    When OneLogin provisions the user "ada"
    Then the user "ada" has "active" equal to "true" when read back

  @onelogin-L3 @rfc7643-3 @must
  Scenario: a user from the core-schema template reads back without the SCIM 1.1 schema it declared
    Given OneLogin's SCIM JSON template is the core one
    When OneLogin provisions the user "ada"
    Then the user "ada" has "name.givenName" equal to "Ada" when read back
    And the user "ada" keeps no schema OneLogin sent that /Schemas does not define, when read back
