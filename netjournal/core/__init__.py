"""The Qt-free core of netjournal: storage, migrations and the journal's logic.

Nothing in this package may import Qt (enforced by ruff's banned-api rule), so it is usable from the
command line, from tests and from background threads alike.
"""
