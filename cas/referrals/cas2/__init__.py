"""CAS2: accommodation for people on bail or Home Detention Curfew, assessed by a national provider."""
