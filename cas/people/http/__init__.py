"""HTTP adapters for the real HMPPS APIs, one module per upstream port, through ``requests``.

- ``case_system``: ``HttpCaseSystem``, the probation case system (approved-premises-and-delius).
- ``risk_system``: ``HttpRiskSystem``, OASys RoSH and risk management plan, the tier service, and
  MAPPA and flags from NDelius.
- ``prison_system``: ``HttpPrisonSystem``, the Prison API and the prisoner alerts API.
- ``client``: what they share: the client with its timeout and single retry, the session protocol
  (``requests.Session`` or ``replay.RecordedSession``) and the JSON helpers.

Where a real API does not carry a field the ports need, the JSON mapping reads an extra field;
``cas/people/README.md`` lists them. Nothing here is re-exported: import from the module that
defines a name.
"""
