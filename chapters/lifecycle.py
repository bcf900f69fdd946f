"""The chapter lifecycle (SPEC §2): pending → active → archived."""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from core.workflow import T, Workflow

# Each label is written for a chapter (masculine in French: "le chapitre est actif").
LABELS = {
    "pending": lazy_pgettext("chapter", "awaiting approval"),
    "active": lazy_pgettext("chapter", "active"),
    "archived": lazy_pgettext("chapter", "archived"),
}

CHAPTER = Workflow("chapter", field="status", states=("pending", "active", "archived"), labels=LABELS,
                   wrong_state=_l("This cannot be done while the chapter is %(state)s."), transitions=[
    T("approve", "pending", "active", perm="chapter.approve", label=_l("Approve")),
    T("archive", ("pending", "active"), "archived", perm="chapter.archive", label=_l("Archive")),
])
