"""The annotation layer: the law's structure (duties, facts, sanctions, users' words), checked
against the text at ingest. ``schema`` holds the format, ``load`` the checks, ``views`` what
search gains from it."""
