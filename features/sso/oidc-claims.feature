@sso @oidc @attack
Feature: ID token claims a relying party must check
  ID tokens that are signed correctly by the right provider for the right
  login, but break a rule of OpenID Connect Core §2 or §3.1.3.7 that
  relying parties often skip. The attack step first shows a plain login
  works (else the scenario could not be checked); then the broken login,
  from a fresh browser, must open no session.
  Scenarios tagged @should report a warning, not a violation.

  Scenario Outline: <id>: an ID token with <what> is rejected
    Given the target accepts OIDC logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" logs in through OIDC with the broken token <id> against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

    # §2: "sub REQUIRED. Subject Identifier. A locally unique and never
    # reassigned identifier within the Issuer for the End-User"; §5.7: other
    # claims "MUST NOT be used as unique identifiers for the End-User". A
    # session from a token without sub is keyed on such a claim.
    @rp-id_token-sub @oidc-core-2
    Examples: rp-id_token-sub
      | id | what |
      | rp-id_token-sub | no sub |

    # §3.1.3.7 step 3: "The ID Token MUST be rejected if the ID Token does
    # not list the Client as a valid audience, or if it contains additional
    # audiences not trusted by the Client."
    @rp-id_token-extra-aud @oidc-core-3.1.3.7
    Examples: rp-id_token-extra-aud
      | id | what |
      | rp-id_token-extra-aud | a second audience the target does not trust, and no azp |

  @should
  Scenario Outline: <id>: an ID token with <what> should be rejected
    Given the target accepts OIDC logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" logs in through OIDC with the broken token <id> against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

    # §2 exp: "the current date/time MUST be before the expiration
    # date/time ... Implementers MAY provide for some small leeway, usually
    # no more than a few minutes, to account for clock skew." Three minutes
    # is within "a few", so accepting it is a warning; rp-id_token-expired
    # (ten minutes) is the violation.
    @rp-id_token-exp-just-past @oidc-core-2
    Examples: rp-id_token-exp-just-past
      | id | what |
      | rp-id_token-exp-just-past | an exp three minutes ago |

    # §2: "iat REQUIRED. Time at which the JWT was issued." The requirement
    # binds the provider; §3.1.3.7 leaves checking iat to the client, so
    # accepting a token without it is a warning (the OpenID RP test
    # rp-id_token-iat expects a rejection).
    @rp-id_token-iat @oidc-core-2
    Examples: rp-id_token-iat
      | id | what |
      | rp-id_token-iat | no iat |

    # §3.1.3.7 step 10: "The iat Claim can be used to reject tokens that
    # were issued too far away from the current time ... The acceptable
    # range is Client specific." A MAY: a warning.
    @rp-id_token-iat-future @oidc-core-3.1.3.7
    Examples: rp-id_token-iat-future
      | id | what |
      | rp-id_token-iat-future | an iat ten minutes in the future |
