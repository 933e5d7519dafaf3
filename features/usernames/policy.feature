@usernames @username
Feature: The userName policy
  The target profile states the userName policy (the model hub allows 2 to
  42 characters and no digits-only names). A name inside the policy is
  stored exactly as sent and can be found; one outside it (its length, a
  pattern or a character rule such as the hub's) is refused with 400
  invalidValue (RFC 7644 §3.12), never truncated, mangled or a 500.

  Background:
    Given the target's userName policy is known

  @hub-usernames @rfc7643-4.1.1 @must
  Scenario: a userName of the minimum length is accepted
    When I create a user with a userName of the minimum length
    Then the userName is accepted and stored exactly as sent

  @hub-usernames @rfc7643-4.1.1 @must
  Scenario: a userName of the maximum length is accepted
    When I create a user with a userName of the maximum length
    Then the userName is accepted and stored exactly as sent

  @hub-usernames @rfc7644-3.12 @must
  Scenario: a userName one under the minimum length is refused
    When I create a user with a userName of one under the minimum length
    Then the userName is refused with 400 invalidValue

  @hub-usernames @rfc7644-3.12 @must
  Scenario: a userName one over the maximum length is refused, not truncated
    When I create a user with a userName of one over the maximum length
    Then the userName is refused with 400 invalidValue

  @hub-usernames @rfc7644-3.12 @must
  Scenario: a digits-only userName follows the policy
    When I create a user with a digits-only userName
    Then the userName follows the policy on digits-only names

  @hub-usernames @rfc7643-4.1.1 @must
  Scenario: an email-style userName with plus and dots is stored exactly, or refused when the policy forbids it
    When I create a user with the userName "{{prefix}}ada.l+ml@example.com"
    Then the userName is stored exactly as sent, or refused with 400 invalidValue if the policy forbids it

  @hub-usernames @rfc7643-4.1.1 @must
  Scenario: a userName with non-ASCII letters is stored exactly or refused
    When I create a user with the userName "{{prefix}}zoë-ünal"
    Then the userName is either refused with 400 invalidValue or stored exactly as answered

  @hub-usernames @rfc7643-4.1.1 @must
  Scenario: a userName with leading and trailing spaces is not silently changed
    When I create a user with the userName " {{prefix}}spaced "
    Then the userName is either refused with 400 invalidValue or stored exactly as answered

  @hub-usernames @rfc7644-3.5.1 @must
  Scenario: a rename past the maximum length is refused and the old name kept
    Given a user "ada" exists
    When I replace the user "ada" with a userName of one over the maximum length
    Then the response status is 400
    And the user "ada" has "userName" equal to the userName of "ada" when read back
