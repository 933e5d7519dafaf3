@discovery
Feature: Service provider discovery
  RFC 7644 §4 lets a client learn what a service provider supports before it
  provisions. IdPs read these endpoints when an integration is saved.

  @rfc7643-5 @rfc7644-4 @rfc7644-3.8 @must
  Scenario: ServiceProviderConfig describes the optional features
    When I GET /ServiceProviderConfig
    Then the response status is 200
    And the response content type is application/scim+json
    And the response body lists the schema "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
    And the response body has a boolean "patch.supported"
    And the response body has a boolean "bulk.supported"
    And the response body has a boolean "filter.supported"
    And the response body has a boolean "changePassword.supported"
    And the response body has a boolean "sort.supported"
    And the response body has a boolean "etag.supported"
    And the response body has "authenticationSchemes"

  @rfc7643-6 @rfc7644-4 @must
  Scenario: ResourceTypes names the User endpoint and schema
    When I GET /ResourceTypes
    Then the response status is 200
    And the list contains a resource with "name" equal to "User"
    And the resource type "User" has endpoint "/Users" and schema "urn:ietf:params:scim:schemas:core:2.0:User"

  @rfc7643-7 @rfc7644-4 @must
  Scenario: Schemas defines the User schema with userName
    When I GET /Schemas
    Then the response status is 200
    And the list contains a resource with "id" equal to "urn:ietf:params:scim:schemas:core:2.0:User"
    And the schema "urn:ietf:params:scim:schemas:core:2.0:User" defines the attribute "userName"

  @rfc7643-6 @rfc7643-7 @must
  Scenario: every schema a resource type names is published
    When I GET /ResourceTypes
    Then every schema named by the resource types is published at /Schemas

  @rfc7643-7 @must
  Scenario: userName is described as required and unique
    When I GET /Schemas/urn:ietf:params:scim:schemas:core:2.0:User
    Then the response status is 200
    And the attribute "userName" of the schema is described with "required" equal to "true"
    And the attribute "userName" of the schema is described with "uniqueness" equal to "server"

  @rfc7643-6 @rfc7644-4 @rfc7644-3.12 @must
  Scenario: an unknown resource type answers 404
    When I GET /ResourceTypes/IdpconformNoSuchType
    Then the response status is 404
    And the SCIM error has status "404"

  @rfc7643-7 @rfc7644-4 @rfc7644-3.12 @must
  Scenario: an unknown schema answers 404
    When I GET /Schemas/urn:ietf:params:scim:schemas:idpconform:2.0:NoSuchSchema
    Then the response status is 404
    And the SCIM error has status "404"

  @rfc7643-5 @must
  Scenario: ServiceProviderConfig spells its URI attributes as the RFC does and they are URLs
    When I GET /ServiceProviderConfig
    Then the response status is 200
    And the response body spells its URI attributes as RFC 7643 does
    And every URI attribute of the response body is an absolute URL

  @rfc7643-6 @must
  Scenario: resource types name their schemas by URI
    When I GET /ResourceTypes
    Then the response status is 200
    And every listed resource has "schema" holding an absolute URI

  @rfc7643-7 @rfc7644-4 @must
  Scenario: every schema a resource type names is served by its id
    When I GET /ResourceTypes
    Then every schema named by the resource types is served at /Schemas/{id}
