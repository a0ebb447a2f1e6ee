"""Deterministic synthetic adapters: the default for development, tests and demos.

About 1,300 generated people plus a fixed set of hand-written demo cases. Every run, on every
machine, gives the same people. Dates that must look current (release dates, OASys dates, ACCT
alerts) are relative to an *anchor* date; names, CRNs and dates of birth do not depend on it.

One module per concern, each importing only those above it in this list:

- ``tables``: the vocabularies people are drawn from (names, ethnic groups, offences, prisons...).
- ``drafts``: a person's draft, the staff who manage people, and ``finish``, which freezes a draft
  into what the ports return.
- ``demo_people``: the hand-written demo people (``DEMO_CRNS``), failing CRNs and demo users.
- ``generator``: the generated people and the national pool's people, one seeded ``Random`` each.
- ``dataset``: the data set for an anchor date (the day the adapter's clock reads, or a fixed one) and the
  national pool.
- ``base``, ``case_system``, ``risk_system``, ``prison_system``: the adapters, one per port
  (``SyntheticCaseSystem``, ``SyntheticRiskSystem``, ``SyntheticPrisonSystem``).

Nothing here is re-exported: import from the module that defines a name.
"""
