"""Time zones of events: the IANA names a lead may pick, a default from the chapter's country, and times shown
in a zone with the zone named."""
from __future__ import annotations

import functools
from datetime import datetime, timezone
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask_babel import format_datetime


@functools.lru_cache(maxsize=1)
def zone_names() -> tuple[str, ...]:
    """Every canonical-looking IANA zone ("Region/City"), sorted, plus UTC."""
    names = {name for name in available_timezones()
             if "/" in name and not name.startswith(("Etc/", "SystemV/", "posix/", "right/"))}
    return ("UTC", *sorted(names))


@functools.lru_cache(maxsize=1)
def _zones_by_country() -> dict[str, str]:
    """Country code → its first zone in tzdata's zone.tab (the most populous region comes first)."""
    try:
        text = resources.files("tzdata").joinpath("zoneinfo", "zone.tab").read_text()
    except (ModuleNotFoundError, FileNotFoundError):
        try:
            text = open("/usr/share/zoneinfo/zone.tab", encoding="utf-8").read()
        except OSError:
            return {}
    zones: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, _, name, *_ = line.split("\t")
        zones.setdefault(code, name)
    return zones


# Countries spanning several zones: zone.tab lists them east to west or north to south, not by population; these
# are the zones most of their people live in. The lead picks another when the chapter lives elsewhere.
MAIN_ZONES = {"CA": "America/Toronto", "US": "America/New_York", "BR": "America/Sao_Paulo", "AU": "Australia/Sydney",
              "RU": "Europe/Moscow", "MX": "America/Mexico_City", "ID": "Asia/Jakarta", "KZ": "Asia/Almaty",
              "AR": "America/Argentina/Buenos_Aires", "CD": "Africa/Kinshasa", "CL": "America/Santiago",
              "ES": "Europe/Madrid", "PT": "Europe/Lisbon", "DE": "Europe/Berlin", "CN": "Asia/Shanghai",
              "MN": "Asia/Ulaanbaatar", "NZ": "Pacific/Auckland", "EC": "America/Guayaquil", "UA": "Europe/Kyiv"}


def default_for_country(country: str | None) -> str:
    """The usual zone of a country (America/Toronto for CA, Europe/Paris for FR); UTC when unknown."""
    code = (country or "").upper()
    return MAIN_ZONES.get(code) or _zones_by_country().get(code, "UTC")


def is_known(name: str | None) -> bool:
    return bool(name) and name in set(zone_names())


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def to_utc(local: datetime, name: str) -> datetime:
    """A naive wall-clock time entered in zone `name`, as an aware UTC datetime."""
    return local.replace(tzinfo=zone(name)).astimezone(timezone.utc)


def local(moment: datetime, name: str) -> datetime:
    """A UTC moment (aware or naive UTC) as wall-clock time in zone `name`."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone(name))


def shown(moment: datetime, name: str, fmt: str = "medium") -> str:
    """The moment in zone `name`, in the reader's language, with the zone named: "Mar 30, 2027, 6:00 PM
    (Europe/Paris, CEST)"."""
    there = local(moment, name)
    words = format_datetime(there.replace(tzinfo=None), fmt, rebase=False)
    return f"{words} ({name}, {there.tzname()})"


def plain(moment: datetime, name: str) -> str:
    """The moment in zone `name` in a form every language reads, for notifications stored before they are read:
    "2027-03-30 18:00 (Europe/Paris, CEST)"."""
    there = local(moment, name)
    return f"{there:%Y-%m-%d %H:%M} ({name}, {there.tzname()})"
