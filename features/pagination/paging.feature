@pagination
Feature: Pagination
  RFC 7644 §3.4.2.4: startIndex is 1-based, count is the page size,
  totalResults counts every match, itemsPerPage counts this page.

  Background:
    Given the target supports filtering
    And the users "u1, u2, u3, u4, u5" exist

  @rfc7644-3.4.2.4 @rfc7644-3.4.2 @must
  Scenario: the first page
    When I filter users by userName sw "{{prefix}}" with startIndex 1 and count 2
    Then the list has totalResults 5, startIndex 1, itemsPerPage 2 and 2 resources

  @rfc7644-3.4.2.4 @must
  Scenario: the last page is partial
    When I filter users by userName sw "{{prefix}}" with startIndex 5 and count 2
    Then the list has totalResults 5, startIndex 5, itemsPerPage 1 and 1 resources

  @rfc7644-3.4.2.4 @okta-paging @must
  Scenario: paging through every page returns every user once
    When I page through users matching userName sw "{{prefix}}" with count 2
    Then the pages contain exactly the users "u1, u2, u3, u4, u5", each once

  @rfc7644-3.4.2.4 @must
  Scenario: count=0 returns only totalResults
    When I filter users by userName sw "{{prefix}}" with startIndex 1 and count 0
    Then the list has totalResults 5, itemsPerPage 0 and 0 resources

  @rfc7644-3.4.2.4 @must
  Scenario: a startIndex past the end returns no resources
    When I filter users by userName sw "{{prefix}}" with startIndex 10 and count 2
    Then the list has totalResults 5, itemsPerPage 0 and 0 resources

  @rfc7644-3.4.2.4 @should
  Scenario: a startIndex below 1 is read as 1
    When I filter users by userName sw "{{prefix}}" with startIndex 0 and count 5
    Then the list has totalResults 5, startIndex 1, itemsPerPage 5 and 5 resources

  @rfc7644-3.4.2 @must
  Scenario: totalResults counts only the matches
    When I filter users by userName eq "{{userName:u3}}"
    Then the list has totalResults 1, itemsPerPage 1 and 1 resources
