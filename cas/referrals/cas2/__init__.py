"""CAS2, bail and Home Detention Curfew accommodation with support: the tier's declarations."""
