@users
Feature: Deleting users
  RFC 7644 §3.6: after a successful DELETE the resource is gone and a read
  answers 404.

  @rfc7644-3.6 @rfc7644-3.12 @must
  Scenario: a deleted user is gone
    Given a user "ada" exists
    When I delete the user "ada"
    Then the response status is 204
    And reading the user "ada" answers 404

  @rfc7644-3.6 @must
  Scenario: a deleted user no longer matches a filter
    Given a user "ada" exists
    When I delete the user "ada"
    And I filter users by userName eq "{{userName:ada}}"
    Then the list contains no users

  @rfc7644-3.6 @rfc7644-3.12 @must
  Scenario: deleting twice answers 404 the second time
    Given a user "ada" exists
    When I delete the user "ada"
    And I DELETE /Users/{{id:ada}}
    Then the response status is 404
    And the SCIM error has status "404"
