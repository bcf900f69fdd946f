"""The chapter lifecycle (SPEC §2): pending → active → archived."""
from flask_babel import lazy_gettext as _l

from core.workflow import T, Workflow

CHAPTER = Workflow("chapter", field="status", states=("pending", "active", "archived"), transitions=[
    T("approve", "pending", "active", perm="chapter.approve", label=_l("Approve")),
    T("archive", ("pending", "active"), "archived", perm="chapter.archive", label=_l("Archive")),
])

# Marked for translation: workflow messages and the audit log name the entity, its states and roles.
NAMES = [_l("chapter"), _l("pending"), _l("active"), _l("archived"), _l("lead"), _l("co_lead"), _l("member")]
