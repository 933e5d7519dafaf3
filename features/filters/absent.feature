@filters
Feature: Filters over users that lack the attribute
  RFC 7644 §3.4.2.2: a filter selects the resources for which it is true; a
  comparison with an attribute a resource does not have is simply false for
  it. Directories are full of users without a title, emails or the
  enterprise extension, and a filter must not fail because of them.

  Background:
    Given the target supports filtering
    And these users exist:
      | user | title    |
      | ada  | Engineer |
    And a user "bob" exists without "emails"
    And a user "cyd" exists without "department"

  @rfc7644-3.4.2.2 @must
  Scenario: a filter on title skips users without a title
    When I filter users by userName sw "{{prefix}}" and title eq "Engineer"
    Then the response status is 200
    And the list contains exactly the users "ada"

  @rfc7644-3.4.2.2 @must
  Scenario: a filter on emails skips users without emails
    When I filter users by userName sw "{{prefix}}" and emails.value ew "@example.com"
    Then the response status is 200
    And the list contains exactly the users "ada, cyd"

  @rfc7644-3.4.2.2 @must
  Scenario: a filter on the enterprise extension skips users without it
    Given the target supports the enterprise extension
    When I filter users by userName sw "{{prefix}}" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Research"
    Then the response status is 200
    And the list contains exactly the users "ada, bob"
