"""The help page and the user guides: public pages, and the guides' pictures (files, not pages)."""

SAMPLES = {
    "web:help-guide": lambda ctx: {"role": "assessor"},
    "web:help-guide-image": lambda ctx: {"role": "assessor", "name": "01-home.png"},
}

DOWNLOADS = {"web:help-guide-image"}
