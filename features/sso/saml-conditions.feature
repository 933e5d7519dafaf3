@sso @saml
Feature: SAML conditions and sessions real service providers get subtly wrong
  Checks that common SP libraries miss even when they resist the attacks: an
  assertion limited to several audiences, a bearer confirmation that has
  lapsed while the Conditions have not, a solicited response posted again
  from another browser, an IdP clock a little ahead, and the session bound
  the IdP sets with SessionNotOnOrAfter. Each first shows a good login of
  the same user working (an attack step runs its positive twin; the others
  start with a control login), else it could not be checked, so a refusal
  is the target's judgement. A scenario with the tag @should reports a
  warning, not a violation.

  @attack
  Scenario Outline: <id>: <what> is rejected
    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack <id> against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

    # Core §2.5.1.4: "multiple <AudienceRestriction> elements MAY be
    # included in a single assertion, and each MUST be evaluated
    # independently ... within a given condition, the audiences form a
    # disjunction (an "OR") while multiple conditions form a conjunction
    # (an "AND")."
    @P-09 @saml-core-2.5.1.4
    Examples: P-09
      | id | what |
      | P-09 | an assertion with a second AudienceRestriction naming only another service provider |

    # Profiles §4.1.4.5: "The service provider MUST ensure that bearer
    # assertions are not replayed, by maintaining the set of used ID values
    # for the length of time for which the assertion would be considered
    # valid". P-16 replays an unsolicited response; this one an SP-initiated
    # response, posted again from a browser that never asked for it.
    @P-16 @saml-prof-4.1.4.5
    Examples: P-16-SP
      | id | what |
      | P-16-SP | an accepted SP-initiated response posted again from another browser |

  # Profiles §4.1.4.3: the SP MUST "Verify that the NotOnOrAfter attribute
  # in any bearer <SubjectConfirmationData> has not passed, subject to
  # allowable clock skew between the providers". The Conditions stay valid,
  # so an SP that checks only Conditions takes it (P-11 is the reverse).
  @attack @P-12 @saml-prof-4.1.4.3
  Scenario: P-12: a bearer confirmation that lapsed ten minutes ago is rejected while the Conditions are valid
    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    And the target's clock skew allowance is at most 5 minutes
    When "mallory" sends the SAML attack P-12 against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

  # Core §2.5.1.2 leaves the clock skew to the SP; an allowance over 5
  # minutes makes an assertion usable long before or after its window.
  @P-10 @saml-core-2.5.1.2
  Scenario: An assertion valid only from 6 minutes on is refused: a clock skew allowance over 5 minutes is too wide
    Given the target accepts SAML logins
    And a user "mallory" exists
    And "mallory" is signed in at the IdP
    And "mallory" can log in through SAML
    When "mallory" logs in through SAML with an assertion valid only from 6 minutes on
    Then the target has no session

  # Profiles §4.1.4.3 expects "allowable clock skew between the providers";
  # an SP that refuses an IdP whose clock runs 90 seconds ahead (NotBefore
  # a minute in its future) breaks logins whenever clocks drift: an
  # interoperability risk, so a warning.
  @saml-core-2.5.1.2 @should
  Scenario: A login from an IdP whose clock runs 90 seconds ahead of the target's is accepted
    Given the target accepts SAML logins
    And a user "mallory" exists
    And "mallory" is signed in at the IdP
    And "mallory" can log in through SAML
    When "mallory" logs in through SAML from an IdP whose clock runs 90 seconds ahead
    Then the target's session belongs to "mallory"

  # Core §2.7.2: SessionNotOnOrAfter "Specifies a time instant at which the
  # session between the principal identified by the subject and the SAML
  # authority issuing this statement MUST be considered ended." The MUST
  # binds the IdP's session; the SP's session derived from it should end
  # too (the profiles errata: "the security context SHOULD be discarded
  # once this time is reached"), so these are warnings.
  @attack @L-01 @saml-core-2.7.2 @should
  Scenario: L-01: an assertion whose SessionNotOnOrAfter has already passed opens no session
    Given the target accepts SAML logins
    And the users "victim, mallory" exist
    And "mallory" is signed in at the IdP
    When "mallory" sends the SAML attack L-01 against "victim"
    Then the target has no session
    And the users "victim, mallory" are unchanged

  # Without sso.clockUrl the harness waits in real time, up to 3 minutes
  # past SessionNotOnOrAfter (@waits).
  @L-01 @saml-core-2.7.2 @should @waits
  Scenario: L-01: a session ends at the SessionNotOnOrAfter the IdP set
    Given the target accepts SAML logins
    And a user "mallory" exists
    And "mallory" is signed in at the IdP
    And "mallory" can log in through SAML
    And "mallory" is logged in through SAML with a session that ends in 10 seconds
    When the IdP's SessionNotOnOrAfter has passed
    Then the target has no session
