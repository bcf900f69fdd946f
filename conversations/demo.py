"""Demo conversations: an applicant and a lead on an application, a sponsor's reviewer and the team on a milestone
whose changes were requested, and the team's own discussion."""
from sqlalchemy import select

from conversations import queries, services
from core.cli import seeder
from core.extensions import db
from projects.models import Application, Milestone


@seeder(order=50)
def seed_conversations(world: dict) -> None:
    p, projects = world["people"], world["projects"]
    recruiting, active = projects["recruiting"], projects["active"]

    application = db.session.scalar(select(Application).where(Application.project_id == recruiting.id,
                                                              Application.user_id == p["priya"].id))
    thread, _ = queries.thread_for("application", recruiting, application=application)
    services.post_message(thread, p["kofi"], "Thank you for applying, Priya! Could you tell us which evenings "
                                             "you could join the field survey?")
    thread, _ = queries.thread_for("application", recruiting, application=application)
    services.post_message(thread, p["priya"], "Tuesday and Thursday evenings work for me. My mapping portfolio "
                                              "is at https://example.org/priya/maps")

    kit = db.session.scalar(select(Milestone).where(Milestone.project_id == active.id,
                                                    Milestone.title == "Workshop kit"))
    for author, words in ((p["noah"], "The kit is close. Could the budget template cite where each rule comes "
                                      "from? @ines, the sources list would be enough."),
                          (p["ines"], "Yes: I will add the sources and send a new version on Friday."),
                          (p["lucas"], "Thanks both. @noah, we will also add a one-page summary for treasurers.")):
        thread, _ = queries.thread_for("milestone", active, milestone=kit)
        services.post_message(thread, author, words)

    thread, _ = queries.thread_for("project", active)
    services.post_message(thread, p["tom"], "I booked the community hall for the next clinic. Who brings the "
                                            "projector?")
