@filters
Feature: Searching with POST
  RFC 7644 §3.4.3 lets a client send a query in the body of POST /.search
  instead of the URL, so that filters do not leak into access logs.

  Background:
    Given the target supports filtering
    And the target supports POST .search
    And these users exist:
      | user | title    |
      | ada  | Engineer |
      | bob  | Manager  |

  @rfc7644-3.4.3 @rfc7644-3.4.2.2 @must
  Scenario: POST /Users/.search filters like GET
    When I search /Users/.search for userName sw "{{prefix}}" and title eq "Manager"
    Then the response status is 200
    And the list contains exactly the users "bob"

  @rfc7644-3.4.3 @should
  Scenario: POST /.search at the root searches users
    When I search /.search for userName eq "{{userName:ada}}"
    Then the response status is 200
    And the list contains exactly the users "ada"

  @rfc7644-3.4.3 @must
  Scenario: a search is never mistaken for a create
    When I search /Users/.search for userName eq "{{userName:ada}}"
    Then the search created nothing
    And the response status is 200
    And the list contains exactly the users "ada"
