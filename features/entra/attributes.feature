@entra
Feature: Entra's default attribute mapping
  Entra's default mapping sends title, phoneNumbers of type work, mobile and
  fax, the work address, and the enterprise employeeNumber (E7); with the
  aadOptscim062020 flag it folds the attributes without a value filter into
  one path-less replace with dotted keys (E9).

  Background:
    Given the target supports filtering
    And the target offers the enterprise extension
    And an Entra tenant with the users "ada, bob" in scope
    And the Entra users carry the full default mapping

  @entra-E7 @entra-create @rfc7643-4.1.2 @must
  Scenario: the full default mapping is stored on create
    When the Entra job runs its initial cycle
    Then the cycle succeeded
    And the user "ada" has "title" equal to "Engineer" when read back
    And the user "ada" has "phoneNumbers[type eq \"mobile\"].value" equal to "+1 425 555 0101" when read back
    And the user "ada" has "phoneNumbers[type eq \"fax\"].value" equal to "+1 425 555 0102" when read back
    And the user "ada" has "addresses[type eq \"work\"].postalCode" equal to "98052" when read back
    And the user "ada" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber" equal to "E-ada" when read back

  @entra-E7 @entra-valuepath @rfc7644-3.5.2.3 @must
  Scenario: a changed mobile number changes only the mobile number
    Given the Entra job runs its initial cycle
    And in Entra, "ada" gets the mobile "+1 425 555 0199"
    And in Entra, "ada" gets the streetAddress "2 Microsoft Way"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "ada" has "phoneNumbers[type eq \"mobile\"].value" equal to "+1 425 555 0199" when read back
    And the user "ada" has "phoneNumbers[type eq \"work\"].value" equal to "+1 425 555 0100" when read back
    And the user "ada" has "addresses[type eq \"work\"].streetAddress" equal to "2 Microsoft Way" when read back

  @entra-E9 @entra-flag @rfc7644-3.5.2.3 @must
  Scenario: with the flag, a path-less replace with dotted keys changes several attributes
    Given the Entra job uses the compliant PATCH dialect
    And the Entra job runs its initial cycle
    And in Entra, "bob" gets the displayName "Bob the Builder"
    And in Entra, "bob" gets the givenName "Robert"
    And in Entra, "bob" gets the jobTitle "Builder"
    And in Entra, "bob" gets the employeeId "E-77"
    And in Entra, "bob" gets the telephoneNumber "+1 425 555 0177"
    When the Entra job runs an incremental cycle
    Then the cycle succeeded
    And the user "bob" has "displayName" equal to "Bob the Builder" when read back
    And the user "bob" has "name.givenName" equal to "Robert" when read back
    And the user "bob" has "name.familyName" equal to "Tester" when read back
    And the user "bob" has "title" equal to "Builder" when read back
    And the user "bob" has "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber" equal to "E-77" when read back
    And the user "bob" has "phoneNumbers[type eq \"work\"].value" equal to "+1 425 555 0177" when read back
