@users
Feature: Resource ids
  RFC 7643 §3.1: the id is issued by the service provider, unique across
  its resources, and never reassigned; RFC 7644 §3.3 ignores an id a client
  sends. IdPs store the id and address the user by it for ever after.

  @rfc7643-3.1 @must
  Scenario: a deleted user's id is not given to a new user
    Given a user "ada" exists
    When I delete the user "ada"
    And a user "bob" exists
    Then the users "ada, bob" have different ids

  @rfc7643-3.1 @rfc7644-3.3 @must
  Scenario: the id a client sends is ignored
    When I create a user "ada" sending the id "{{prefix}}chosen-id"
    Then the response status is 201
    And the user "ada" does not have the id "{{prefix}}chosen-id"
