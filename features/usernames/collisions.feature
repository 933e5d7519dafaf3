@usernames @username
Feature: userNames that collide or look alike
  userName is unique without regard to case (RFC 7643 §4.1.1), so a name
  differing only in case is taken; a name that merely looks like another
  (Cyrillic letters, full-width forms, padding) is refused or kept apart,
  never folded into the other user or stored as something else.

  Background:
    Given the target's userName policy is known

  @hub-usernames @rfc7643-4.1.1 @must
  Scenario: a mixed-case userName with a dot keeps its case and is found in any case, or is refused when the policy forbids it
    When I create a user with the userName "{{prefix}}Ada.MixedCase"
    Then the userName is stored exactly as sent, or refused with 400 invalidValue if the policy forbids it
    And a filter on the userName in lower case finds the user "edge"

  @rfc7643-4.1.1 @rfc7644-3.3 @rfc7644-3.12 @must
  Scenario: a userName differing only in mixed case from a taken one is refused with 409
    Given a user "ada" exists with the userName "{{prefix}}Ada-Case"
    When I create a user with the userName "{{prefix}}aDA-cASE"
    Then the response status is 409
    And the SCIM error has status "409" and scimType "uniqueness"

  @hub-usernames @rfc7644-3.4.2.2 @must
  Scenario: a look-alike with Cyrillic letters is refused or kept apart
    Given a user "ada" exists with the userName "{{prefix}}paypal"
    When I create a user with the userName "{{prefix}}pаypаl"
    Then the look-alike is refused or kept apart from the user "ada"

  @hub-usernames @must
  Scenario: a full-width userName is refused or stored exactly, not folded to ASCII
    When I create a user with the userName "{{prefix}}ｆｕｌｌｗｉｄｔｈ"
    Then the userName is either refused with 400 invalidValue or stored exactly as answered

  @hub-usernames @rfc7644-3.4.2.2 @must
  Scenario: a padded twin of a taken userName is refused or kept apart
    Given a user "ada" exists
    When I create a user with the userName "{{userName:ada}} "
    Then the look-alike is refused or kept apart from the user "ada"

  @hub-usernames @must
  Scenario: the length limit counts characters, not bytes
    When I create a user with a userName of the maximum length in non-ASCII letters
    Then the userName follows the policy's pattern and character rule
