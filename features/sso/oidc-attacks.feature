@sso @oidc @attack
Feature: OpenID Connect tokens a relying party must reject
  Each breakage follows the OpenID RP certification tests: the provider
  breaks one thing in one login. The attack step first shows that a plain
  login by the attacker works (else the scenario could not be checked); then
  the broken login, from a fresh browser, must open no session and change no
  user.

  Scenario Outline: <id>: an ID token or userinfo with <what> is rejected
    Given the target accepts OIDC logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" logs in through OIDC with the broken token <id> against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

    @rp-id_token-bad-sig-rs256 @oidc-core-3.1.3.7
    Examples: rp-id_token-bad-sig-rs256
      | id | what |
      | rp-id_token-bad-sig-rs256 | a corrupted RS256 signature |

    @rp-id_token-sig-none @oidc-core-3.1.3.7
    Examples: rp-id_token-sig-none
      | id | what |
      | rp-id_token-sig-none | alg none and no signature |

    @rp-id_token-hs256-public-key @rfc8725-3.1
    Examples: rp-id_token-hs256-public-key
      | id | what |
      | rp-id_token-hs256-public-key | HS256 keyed with the provider's public key |

    @rp-id_token-issuer-mismatch @oidc-core-3.1.3.7
    Examples: rp-id_token-issuer-mismatch
      | id | what |
      | rp-id_token-issuer-mismatch | another issuer |

    @rp-id_token-aud @oidc-core-3.1.3.7
    Examples: rp-id_token-aud
      | id | what |
      | rp-id_token-aud | an audience that is another client |

    @rp-id_token-expired @oidc-core-3.1.3.7
    Examples: rp-id_token-expired
      | id | what |
      | rp-id_token-expired | an exp ten minutes ago |

    @rp-nonce-invalid @oidc-core-3.1.3.7
    Examples: rp-nonce-invalid
      | id | what |
      | rp-nonce-invalid | a nonce the target never sent |

    @rp-id_token-unknown-kid @rfc7515-4.1.4
    Examples: rp-id_token-unknown-kid
      | id | what |
      | rp-id_token-unknown-kid | a kid the provider's JWKS does not have |


  @rp-userinfo-bad-sub-claim @oidc-core-5.3.2
  Scenario: rp-userinfo-bad-sub-claim: a userinfo answer whose sub is not the ID token's does not log in the victim
    The userinfo answer names the victim under another sub. The target must
    not use it (OpenID Connect Core §5.3.2); a target that refuses the login,
    or never calls userinfo and logs the attacker in from the ID token, is
    not vulnerable.

    Given the target accepts OIDC logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" logs in through OIDC with the broken token rp-userinfo-bad-sub-claim against "victim"
    Then the target's session does not belong to "victim"
    And the users "victim, mallory" are unchanged
