@users
Feature: Reading users
  RFC 7644 §3.4.1 retrieves a known resource; §3.4.2.5 lets the client pick
  the attributes returned.

  @rfc7644-3.4.1 @must
  Scenario: a user is read back by id
    Given a user "ada" exists
    When I GET /Users/{{id:ada}}
    Then the response status is 200
    And the response body has "id" equal to the id of "ada"
    And the response body has "userName" equal to the userName of "ada"

  @rfc7644-3.4.2.5 @must
  Scenario: attributes limits the response to what was asked, plus id
    Given a user "ada" exists
    When I GET /Users/{{id:ada}}?attributes=userName
    Then the response status is 200
    And the response body has "userName"
    And the response body has "id"
    And the response body has no "name"
    And the response body has no "emails"

  @rfc7644-3.4.2.5 @must
  Scenario: excludedAttributes leaves out what was excluded
    Given a user "ada" exists
    When I GET /Users/{{id:ada}}?excludedAttributes=emails,name
    Then the response status is 200
    And the response body has no "emails"
    And the response body has no "name"
    And the response body has "userName"

  @rfc7644-3.4.2.5 @must
  Scenario: attributes applies to list responses too
    Given a user "ada" exists
    When I GET /Users?filter=userName eq "{{userName:ada}}"&attributes=userName
    Then the response status is 200
    And every listed resource has no "emails"
    And every listed resource has "userName"

  @rfc7643-3 @rfc7644-3.4.2.5 @must
  Scenario: schemas stays when attributes asks for other attributes
    Given a user "ada" exists
    When I GET /Users/{{id:ada}}?attributes=userName
    Then the response status is 200
    And the response body lists the schema "urn:ietf:params:scim:schemas:core:2.0:User"

  @rfc7643-3 @rfc7644-3.4.2 @must
  Scenario: every listed user names its schemas
    Given the target supports filtering
    And a user "ada" exists
    When I GET /Users?filter=userName eq "{{userName:ada}}"
    Then the response status is 200
    And every listed resource lists the schema "urn:ietf:params:scim:schemas:core:2.0:User"

  @rfc7643-3 @rfc7644-3.4.2.5 @must
  Scenario: every listed user names its schemas under attributes
    Given the target supports filtering
    And a user "ada" exists
    When I GET /Users?filter=userName eq "{{userName:ada}}"&attributes=userName
    Then the response status is 200
    And every listed resource lists the schema "urn:ietf:params:scim:schemas:core:2.0:User"
