@filters
Feature: Logical operators, grouping and value paths
  RFC 7644 §3.4.2.2: "not" binds tighter than "and", which binds tighter than
  "or"; brackets group; a value path filters the values of a multi-valued
  attribute.

  Background:
    Given the target supports filtering
    And these users exist:
      | user  | title    | department |
      | ada   | Engineer | Research   |
      | bob   | Manager  | Sales      |
      | cyd   | Engineer | Sales      |

  @rfc7644-3.4.2.2 @must
  Scenario: and requires both sides
    Given the target supports the enterprise extension
    When I filter users by userName sw "{{prefix}}" and title eq "Engineer" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales"
    Then the list contains exactly the users "cyd"

  @rfc7644-3.4.2.2 @must
  Scenario: or accepts either side
    When I filter users by userName eq "{{userName:ada}}" or userName eq "{{userName:bob}}"
    Then the list contains exactly the users "ada, bob"

  @rfc7644-3.4.2.2 @must
  Scenario: not negates a bracketed expression
    When I filter users by userName sw "{{prefix}}" and not (title eq "Engineer")
    Then the list contains exactly the users "bob"

  @rfc7644-3.4.2.2 @must
  Scenario: brackets override precedence
    Given the target supports the enterprise extension
    When I filter users by userName sw "{{prefix}}" and (title eq "Manager" or urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Research")
    Then the list contains exactly the users "ada, bob"

  @rfc7644-3.4.2.2 @must
  Scenario: a value path filters inside a multi-valued attribute
    When I filter users by emails[type eq "work" and value eq "{{workEmail:bob}}"]
    Then the list contains exactly the users "bob"

  @rfc7644-3.4.2.2 @must
  Scenario: a dotted multi-valued sub-attribute matches any of its values
    When I filter users by emails.value eq "{{homeEmail:ada}}"
    Then the list contains exactly the users "ada"

  @rfc7644-3.4.2.2 @rfc7644-3.12 @must
  Scenario: a malformed filter is refused with 400 invalidFilter
    When I GET /Users?filter=userName eq
    Then the response status is 400
    And the SCIM error has status "400" and scimType "invalidFilter"

  @rfc7644-3.4.2.2 @rfc7644-3.12 @must
  Scenario: an unknown operator is refused with 400 invalidFilter
    When I GET /Users?filter=userName zz "x"
    Then the response status is 400
    And the SCIM error has status "400" and scimType "invalidFilter"
