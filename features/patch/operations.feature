@patch
Feature: PATCH operations on users
  RFC 7644 §3.5.2: add, replace and remove, with or without a path, applied
  in order and all or nothing. State is checked by reading the user back.

  Background:
    Given the target supports PATCH
    And a user "ada" exists

  @rfc7644-3.5.2.3 @must
  Scenario: replace with a path
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"displayName","value":"Countess Lovelace"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "displayName" equal to "Countess Lovelace" when read back

  @rfc7644-3.5.2.1 @must
  Scenario: add with a path sets an attribute that had no value
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"add","path":"title","value":"Analyst"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "title" equal to "Analyst" when read back

  @rfc7644-3.5.2.2 @must
  Scenario: remove with a path clears the attribute
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"remove","path":"nickName"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has no "nickName" when read back

  @rfc7644-3.5.2.3 @okta-patch-active @must
  Scenario: replace without a path takes an object of attributes
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","value":{"displayName":"A. Lovelace","title":"Countess"}}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "displayName" equal to "A. Lovelace" when read back
    And the user "ada" has "title" equal to "Countess" when read back

  @rfc7644-3.5.2.3 @must
  Scenario: replace a sub-attribute of a complex attribute
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"name.familyName","value":"Byron"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "name.familyName" equal to "Byron" when read back
    And the user "ada" has "name.givenName" equal to "Ada" when read back

  @rfc7643-4.1.1 @rfc7644-3.5.2.3 @okta-patch-active @must
  Scenario: replace active with false deactivates the user
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"active","value":false}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "active" equal to "false" when read back

  @rfc7644-3.5.2 @must
  Scenario: operations apply in order
    When I PATCH the user "ada" with:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
       "Operations":[{"op":"replace","path":"title","value":"first"},
                     {"op":"replace","path":"title","value":"second"}]}
      """
    Then the PATCH succeeded
    And the user "ada" has "title" equal to "second" when read back
