"""The author's inputs: manuscript metadata, case data, abbreviations, journal profiles,
templates, and the de-identification gate over them."""
