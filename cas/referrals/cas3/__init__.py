"""The CAS3 (transitional accommodation) referral form, registered with the form engine on import."""
