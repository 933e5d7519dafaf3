@bulk
Feature: Bulk operations
  RFC 7644 §3.7: a service provider that claims bulk runs many operations in
  one request, resolves "bulkId:" references to the ids it created, stops
  after failOnErrors errors, and refuses with 413 a request over the
  maxOperations or maxPayloadSize it declares.

  Background:
    Given the target supports bulk

  @rfc7644-3.7 @must
  Scenario: a bulk request creates users and a group that references them by bulkId
    Given the target supports groups
    When I send the bulk request:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
       "Operations":[
        {"method":"POST","path":"/Users","bulkId":"ada",
         "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName:ada}}"}},
        {"method":"POST","path":"/Users","bulkId":"bob",
         "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName:bob}}"}},
        {"method":"POST","path":"/Groups","bulkId":"engineers",
         "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"{{displayName:engineers}}",
                 "members":[{"value":"bulkId:ada"},{"value":"bulkId:bob"}]}}]}
      """
    Then the response status is 200
    And every bulk operation answered status 201
    And the group "engineers" has exactly the members "ada, bob" when read back

  @rfc7644-3.7 @must
  Scenario: failOnErrors stops the job at the first error
    Given a user "ada" exists
    When I send the bulk request:
      """
      {"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"failOnErrors":1,
       "Operations":[
        {"method":"POST","path":"/Users","bulkId":"ada",
         "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName:ada}}"}},
        {"method":"POST","path":"/Users","bulkId":"bob",
         "data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"{{userName:bob}}"}}]}
      """
    Then the response status is 200
    And the bulk response lists 1 operation

  @rfc7644-3.7 @rfc7644-3.12 @must
  Scenario: a bulk request over maxOperations is refused with 413
    When I send a bulk request of one operation more than maxOperations
    Then the response status is 413
    And the SCIM error has status "413"

  @rfc7644-3.7 @rfc7644-3.12 @must
  Scenario: a bulk request over maxPayloadSize is refused with 413
    When I send a bulk request larger than maxPayloadSize
    Then the response status is 413
    And the SCIM error has status "413"
