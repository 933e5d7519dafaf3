@sso @saml @attack
Feature: SAML responses a service provider must reject
  Each attack from the SSO catalogue (shared/sso-negative.md) runs through
  the same pipeline as a good login. The attack step first shows that its
  positive twin, the same response without the tampering (same signing
  shape, same binding), logs the attacker in from a fresh browser: when it
  does not, the scenario could not be checked, since a rejection proves
  nothing about an SP that refuses every login. The target's verdict is then
  read from side effects: the session it opened, if any, and the users it
  created or changed.

  Scenario Outline: <id>: <what> is rejected
    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack <id> against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

    @SIG-01 @saml-prof-4.1.4.5
    Examples: SIG-01
      | id | what |
      | SIG-01 | a response with neither the response nor the assertion signed, claiming the victim |

    @SIG-02 @saml-prof-4.1.4.5
    Examples: SIG-02
      | id | what |
      | SIG-02 | a signed response with every signature stripped and the victim's NameID |

    @SIG-03 @saml-core-5.4
    Examples: SIG-03
      | id | what |
      | SIG-03 | an assertion edited to the victim's NameID after it was signed |

    @SIG-04 @saml-core-5.4
    Examples: SIG-04
      | id | what |
      | SIG-04 | an assertion for the victim re-signed with an attacker's key, the attacker's certificate in KeyInfo |

    @P-01 @saml-bind-3.5.5.2
    Examples: P-01
      | id | what |
      | P-01 | a signed response whose Destination is not the target's ACS |

    @P-03 @saml-prof-4.1.4.3
    Examples: P-03
      | id | what |
      | P-03 | a Recipient that is not the target's ACS |

    @P-04 @saml-prof-4.1.4.3
    Examples: P-04
      | id | what |
      | P-04 | an InResponseTo naming no request of the target |

    @P-07 @saml-prof-4.1.4.2
    Examples: P-07
      | id | what |
      | P-07 | an Audience naming another service provider |

    @P-08 @saml-prof-4.1.4.2
    Examples: P-08
      | id | what |
      | P-08 | an assertion with no AudienceRestriction |

    @P-18 @saml-prof-4.1.4.2
    Examples: P-18
      | id | what |
      | P-18 | a response and assertion issued by another IdP |

  Scenario Outline: <id>: <what> is rejected, past the target's clock skew allowance
    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    And the target's clock skew allowance is at most 5 minutes
    When "mallory" sends the SAML attack <id> against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

    @P-10 @saml-core-2.5.1.2
    Examples: P-10
      | id | what |
      | P-10 | an assertion valid only from ten minutes in the future |

    @P-11 @saml-core-2.5.1.2
    Examples: P-11
      | id | what |
      | P-11 | an assertion that expired ten minutes ago |

  Scenario Outline: <id>: <what> is refused, and never logs in the victim
    Signature wrapping leaves the signed assertion intact beside the
    tampered content. A session as the victim means the target read the
    unsigned content: a violation. A session as the attacker means it used
    only the signed assertion and let the wrapping pass: a warning, in every
    wrapping scenario alike, since the response should be refused.

    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack <id> against "victim"
    Then the target refused the response, and never logged in "victim"
    And the users "victim, mallory" are unchanged

    @XSW1 @saml-core-5.4
    Examples: XSW1
      | id | what |
      | XSW1 | the signed response cloned into its own Signature and the outer response made evil |

    @XSW2 @saml-core-5.4
    Examples: XSW2
      | id | what |
      | XSW2 | the signed response cloned before its Signature and the outer response made evil |

    @XSW3 @saml-core-5.4
    Examples: XSW3
      | id | what |
      | XSW3 | an evil unsigned assertion inserted before the signed one |

    @XSW4 @saml-core-5.4
    Examples: XSW4
      | id | what |
      | XSW4 | an evil assertion wrapping the signed one |

    @XSW5 @saml-core-5.4
    Examples: XSW5
      | id | what |
      | XSW5 | the signed assertion made evil in place, a clean copy appended |

    @XSW6 @saml-core-5.4
    Examples: XSW6
      | id | what |
      | XSW6 | the signed assertion made evil in place, a clean copy inside its Signature |

    @XSW7 @saml-core-5.4
    Examples: XSW7
      | id | what |
      | XSW7 | an Extensions element before the signed assertion holding an evil copy with the same ID |

    @XSW8 @saml-core-5.4
    Examples: XSW8
      | id | what |
      | XSW8 | the signed assertion made evil in place, a clean copy in a ds:Object |

    @XSW-M @saml-core-5.4
    Examples: XSW-M
      | id | what |
      | XSW-M | an unsigned evil assertion appended after the signed one (CVE-2022-41912) |

  @P-06 @saml-prof-4.1.5 @no-idp-initiated
  Scenario: P-06: a response without InResponseTo is rejected by a target that takes no IdP-initiated logins
    Given the target accepts SAML logins
    And the target does not accept IdP-initiated logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack P-06 against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

  @PD-01 @saml-core-5.4
  Scenario: PD-01: a comment injected into the signed NameID does not log in as the victim
    The signed NameID is "victim.evil.com" with a comment inside it. A
    target may refuse the response or read the whole value and log in
    "victim.evil.com" (the fix of VU#475445); it must never read up to the
    comment and log in the victim.

    Given the target accepts SAML logins
    And the users "victim, mallory, victim.evil.com" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack PD-01 against "victim"
    Then the target's session does not belong to "victim"
    And the users "victim, mallory" are unchanged

  @PD-06 @saml-core-5.4
  Scenario: PD-06: a DOCTYPE with an external entity is never fetched, and the response is refused
    The canary comes first, so its result is recorded whatever the session:
    a fetched entity is a violation; a target that fetched nothing but
    logged the attacker in from the signed assertion gets a warning.

    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack PD-06 against "victim"
    Then the canary URL was never fetched
    And the target refused the response, and never logged in "victim"
    And the users "victim, mallory" are unchanged

  @P-16 @saml-prof-4.1.4.5
  Scenario: P-16: an accepted response posted again from another browser is rejected
    Given the target accepts SAML logins
    And the target accepts IdP-initiated logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack P-16 against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

  @R-01 @saml-bind-3.5.3
  Scenario: R-01: a RelayState pointing off-site does not redirect the browser there
    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack R-01 against "victim"
    Then the target did not send the browser off its origin
    And the users "victim, mallory" are unchanged
