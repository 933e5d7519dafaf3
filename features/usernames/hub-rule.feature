@usernames @username
Feature: The Hugging Face Hub's userName characters
  HF's SCIM guides for Okta and Entra ID (shared/idp-behaviour.md HX1):
  "Only regular characters and `-` are accepted in the Username", "`--`
  (double dash) is forbidden", "`-` cannot start or end the name". A target
  whose profile names this rule (usernames.rule: hub) refuses any other name
  with 400 invalidValue (RFC 7644 §3.12), and takes the names HF tells
  administrators to map the IdP's usernames to. The built-in run sends these
  scenarios to a reference instance under the rule.

  Background:
    Given the target's userName policy has a character rule

  @hub-HX1 @rfc7644-3.12 @must
  Scenario Outline: a userName the character rule forbids is refused with 400 invalidValue
    When I create a user with the userName "<userName>"
    Then the userName is refused with 400 invalidValue

    Examples:
      | userName                |
      | {{prefix}}ada.lovelace  |
      | {{prefix}}ada--lovelace |
      | {{prefix}}lovelace-     |
      | -{{prefix}}lovelace     |
      | {{prefix}}ada_lovelace  |

  @hub-HX1 @hub-usernames @rfc7643-4.1.1 @must
  Scenario: a userName edited to the character rule is stored exactly as sent
    When I create a user with the userName "{{prefix}}Ada-Lovelace-2"
    Then the userName is accepted and stored exactly as sent
