"""The open-data files: public projects and public chapters, each as JSON Lines and CSV.

What is public is what /projects/ and /chapters/ list (and the API): the rows come from their queries
(projects.queries.discovery_query, chapters.queries.active_query), no rule is restated here. Each file is
written to a temporary name in the same folder and renamed over the old one, so a reader never sees half a file.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l

from chapters import queries as chapter_queries
from core.audit import as_utc
from core.extensions import db
from core.urls import path_for
from projects import queries as project_queries
from projects.queries import Filters

FORMATS = {"jsonl": "application/jsonl; charset=utf-8", "csv": "text/csv; charset=utf-8; header=present"}
BATCH = 500


@dataclass(frozen=True)
class Field:
    name: str
    description: Any  # a lazy string, shown on /open-data/
    value: Callable[[Any], Any]


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _moment(value) -> str | None:
    return as_utc(value).isoformat().replace("+00:00", "Z") if value is not None else None


def _url(path: str) -> str:
    return current_app.config["BASE_URL"] + path


PROJECT_FIELDS = (
    Field("id", _l("The project's number; its page is /projects/<id>."), lambda p: p.id),
    Field("url", _l("The project's page."), lambda p: _url(path_for("projects.detail", project_id=p.id))),
    Field("title", _l("Title."), lambda p: p.title),
    Field("summary", _l("Summary."), lambda p: p.summary),
    Field("status", _l("recruiting, active, delivered or cancelled."), lambda p: p.status),
    Field("chapter", _l("The chapter's address (slug): see the chapters files."), lambda p: p.chapter.slug),
    Field("country", _l("The chapter's country (ISO 3166-1 alpha-2)."), lambda p: p.chapter.country),
    Field("city", _l("The chapter's city."), lambda p: p.chapter.city),
    Field("skills", _l("Skills the project needs (in CSV: separated by “; ”)."),
          lambda p: [skill.name for skill in p.skills]),
    Field("sdgs", _l("UN Sustainable Development Goals (numbers 1 to 17) it works towards."), lambda p: p.sdgs),
    Field("team_min", _l("Smallest team."), lambda p: p.team_min),
    Field("team_max", _l("Largest team."), lambda p: p.team_max),
    Field("team_size", _l("Current team size."), lambda p: p.team_size),
    Field("start_date", _l("Planned start (YYYY-MM-DD), if set."), lambda p: _date(p.start_date)),
    Field("end_date", _l("Planned end (YYYY-MM-DD), if set."), lambda p: _date(p.end_date)),
    Field("created_at", _l("When it was proposed (UTC, ISO 8601)."), lambda p: _moment(p.created_at)),
)

CHAPTER_FIELDS = (
    Field("slug", _l("The chapter's address; its page is /chapters/<slug>."), lambda c: c.slug),
    Field("url", _l("The chapter's page."), lambda c: _url(path_for("chapters.detail", slug=c.slug))),
    Field("name", _l("Name."), lambda c: c.name),
    Field("city", _l("City."), lambda c: c.city),
    Field("country", _l("Country (ISO 3166-1 alpha-2)."), lambda c: c.country),
    Field("description", _l("What the chapter is about."), lambda c: c.description),
    Field("member_count", _l("Number of members."), lambda c: c.member_count),
    Field("created_at", _l("When it was proposed (UTC, ISO 8601)."), lambda c: _moment(c.created_at)),
)


@dataclass(frozen=True)
class Kind:
    name: str
    title: Any
    fields: tuple[Field, ...]
    rows: Callable[[], Iterable[Any]]


def _projects():
    return db.session.scalars(project_queries.discovery_query(Filters()).execution_options(yield_per=BATCH))


def _chapters():
    return db.session.scalars(chapter_queries.active_query().execution_options(yield_per=BATCH))


KINDS = (Kind("projects", _l("Public projects"), PROJECT_FIELDS, _projects),
         Kind("chapters", _l("Public chapters"), CHAPTER_FIELDS, _chapters))


def file_names() -> list[str]:
    return [f"{kind.name}.{extension}" for kind in KINDS for extension in FORMATS]


def folder() -> Path:
    return Path(current_app.config["OPEN_DATA_FOLDER"])


def _csv_value(value) -> Any:
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return "" if value is None else value


def _write_atomically(path: Path, write: Callable[[Any], None]) -> None:
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)  # published files: readable by the web server whatever the umask
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _records(kind: Kind):
    for row in kind.rows():
        yield {f.name: f.value(row) for f in kind.fields}


def _jsonl(kind: Kind, handle) -> None:
    for record in _records(kind):
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _csv(kind: Kind, handle) -> None:
    writer = csv.writer(handle)
    writer.writerow([f.name for f in kind.fields])
    for record in _records(kind):
        writer.writerow([_csv_value(record[f.name]) for f in kind.fields])


WRITERS = {"jsonl": _jsonl, "csv": _csv}


def write_all() -> list[Path]:
    """Write every open-data file now, each from its own query read in batches; returns their paths."""
    target = folder()
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        for extension, writer in WRITERS.items():
            path = target / f"{kind.name}.{extension}"
            _write_atomically(path, lambda handle: writer(kind, handle))
            written.append(path)
    return written


@dataclass(frozen=True)
class PublishedFile:
    name: str
    kind: Kind
    extension: str
    size: int
    written_at: datetime


def published() -> list[PublishedFile]:
    """The files written so far, with their size and date (files not written yet are left out)."""
    found = []
    for kind in KINDS:
        for extension in FORMATS:
            path = folder() / f"{kind.name}.{extension}"
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            found.append(PublishedFile(path.name, kind, extension, stat.st_size,
                                       datetime.fromtimestamp(stat.st_mtime, tz=timezone.utc)))
    return found
