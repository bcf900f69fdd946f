"""Sponsorships: the answer of either side (confirm, decline, or withdraw what one started). The sponsorship
workflow decides which side answers, as on the project's page."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort

from api import bp, http, schemas
from api.auth import requires
from core.extensions import db
from sponsors import services
from sponsors.models import Sponsorship


@bp.route("/sponsorships/<int:sponsorship_id>/answer", methods=["POST"], tags=["Sponsors"])
@requires("manage")
@bp.arguments(schemas.SponsorshipAnswer)
@bp.response(200, schemas.SponsorshipOut)
@http.answers(404, "No such sponsorship.")
@http.answers(409, "A rule says no (already answered, the project is closed, your own proposal…).")
@http.answers(422, "Invalid input.")
def answer_sponsorship(data: dict, sponsorship_id: int):
    """Confirm or decline an offer (the project's chapter leads) or a request (the organisation's admins), or
    withdraw your own side's proposal."""
    sponsorship = db.session.get(Sponsorship, sponsorship_id)
    if sponsorship is None:
        abort(404, message=_("No such sponsorship."))
    services.answer(sponsorship, current_user, data["answer"])
    return sponsorship
