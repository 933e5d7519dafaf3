@filters
Feature: Filter operators
  RFC 7644 §3.4.2.2 defines the filter operators. Each scenario scopes its
  filter to the users it created (userName sw the scenario's prefix) so that
  other data in the target cannot change the answer.

  Background:
    Given the target supports filtering
    And these users exist:
      | user  | title    | nickName | department |
      | ada   | Engineer | countess | Research   |
      | bob   | Manager  |          | Sales      |
      | cyd   | Engineer |          | Sales      |

  @rfc7644-3.4.2.2 @must
  Scenario: eq matches equal values, case-insensitively for a caseExact=false attribute
    When I filter users by userName sw "{{prefix}}" and title eq "engineer"
    Then the list contains exactly the users "ada, cyd"

  @rfc7644-3.4.2.2 @must
  Scenario: ne matches different values
    When I filter users by userName sw "{{prefix}}" and title ne "Engineer"
    Then the list contains exactly the users "bob"

  @rfc7644-3.4.2.2 @must
  Scenario: co matches a substring
    When I filter users by userName sw "{{prefix}}" and title co "NAG"
    Then the list contains exactly the users "bob"

  @rfc7644-3.4.2.2 @must
  Scenario: sw matches a prefix
    When I filter users by userName sw "{{prefix}}" and title sw "eng"
    Then the list contains exactly the users "ada, cyd"

  @rfc7644-3.4.2.2 @must
  Scenario: ew matches a suffix
    When I filter users by userName sw "{{prefix}}" and title ew "ger"
    Then the list contains exactly the users "bob"

  @rfc7644-3.4.2.2 @must
  Scenario: pr matches a present attribute
    When I filter users by userName sw "{{prefix}}" and nickName pr
    Then the list contains exactly the users "ada"

  @rfc7644-3.4.2.2 @must
  Scenario: gt and le compare strings lexicographically
    When I filter users by userName sw "{{prefix}}" and title gt "F"
    Then the list contains exactly the users "bob"
    When I filter users by userName sw "{{prefix}}" and title le "Engineer"
    Then the list contains exactly the users "ada, cyd"

  @rfc7644-3.4.2.2 @must
  Scenario: ge and lt compare strings lexicographically
    When I filter users by userName sw "{{prefix}}" and title ge "Manager"
    Then the list contains exactly the users "bob"
    When I filter users by userName sw "{{prefix}}" and title lt "Manager"
    Then the list contains exactly the users "ada, cyd"

  @rfc7644-3.4.2.2 @must
  Scenario: attribute names and operators are case-insensitive
    When I filter users by USERNAME SW "{{prefix}}" AND Title Eq "Manager"
    Then the list contains exactly the users "bob"

  @rfc7644-3.4.2.2 @must
  Scenario: a sub-attribute filters on a complex attribute
    When I filter users by userName sw "{{prefix}}" and name.givenName eq "Bob"
    Then the list contains exactly the users "bob"

  @rfc7644-3.4.2.2 @rfc7643-3.3 @must
  Scenario: an extension attribute is addressed by its full URN
    Given the target supports the enterprise extension
    When I filter users by userName sw "{{prefix}}" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Research"
    Then the list contains exactly the users "ada"

  @rfc7644-3.4.2.2 @rfc7643-3.1 @entra-lookup @must
  Scenario: externalId is matched exactly
    When I filter users by externalId eq "{{externalId:cyd}}"
    Then the list contains exactly the users "cyd"

  @rfc7644-3.4.2.2 @rfc7643-3.1 @must
  Scenario: externalId is case-exact
    When I filter users by externalId eq "{{upper:externalId:cyd}}"
    Then the list contains no users

  @rfc7644-3.4.2.2 @rfc7643-4.1.1 @must
  Scenario: a boolean attribute is filtered as a boolean
    Given the user "cyd" is deactivated
    When I filter users by userName sw "{{prefix}}" and active eq false
    Then the list contains exactly the users "cyd"
