@protocol
Feature: Errors and media type
  RFC 7644 §3.12: errors are JSON with the Error schema, status as a string
  and a scimType where the RFC defines one. §3.8: SCIM speaks
  application/scim+json.

  @rfc7644-3.12 @must
  Scenario: an unknown user id answers a SCIM 404
    When I GET /Users/idpconform-no-such-id
    Then the response status is 404
    And the SCIM error has status "404"

  @rfc7644-3.12 @should
  Scenario: a 404 carries no scimType meant for a 400
    When I GET /Users/idpconform-no-such-id
    Then the response status is 404
    And the SCIM error has no scimType meant for a 400

  @rfc7644-3.12 @should
  Scenario: an unknown endpoint answers a SCIM 404
    When I GET /NoSuchResourceType
    Then the response status is 404
    And the SCIM error has status "404"

  @rfc7644-3.12 @must
  Scenario: a body that is not JSON is refused with invalidSyntax
    When I POST /Users with the body:
      """
      {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName":
      """
    Then the response status is 400
    And the SCIM error has status "400" and scimType "invalidSyntax"

  @rfc7644-3.8 @must
  Scenario: responses are application/scim+json
    Given a user "ada" exists
    When I GET /Users/{{id:ada}}
    Then the response content type is application/scim+json

  @rfc7644-3.3 @rfc7643-4.1.1 @rfc7644-3.12 @must
  Scenario: a user without userName is refused
    When I POST /Users with the body:
      """
      {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"displayName":"No Name"}
      """
    Then the response status is 400
    And the SCIM error has status "400" and scimType "invalidValue"
