@pagination
Feature: Sorting
  RFC 7644 §3.4.2.3: sortBy orders the results, ascending unless sortOrder
  says descending. Sorting is optional; the target says if it sorts.

  Background:
    Given the target supports sorting
    And these users exist:
      | user | title |
      | u2   | B     |
      | u3   | C     |
      | u1   | A     |

  @rfc7644-3.4.2.3 @should
  Scenario: sortBy orders ascending by default
    When I filter users by userName sw "{{prefix}}" sorted by title
    Then the list is in the order "u1, u2, u3"

  @rfc7644-3.4.2.3 @should
  Scenario: sortOrder descending reverses the order
    When I filter users by userName sw "{{prefix}}" sorted by userName descending
    Then the list is in the order "u3, u2, u1"
