"""Scenarios: what town to build and which releases to observe.

A scenario is a TOML file read into a frozen :class:`Scenario`; the named ones
ship with the package in ``lab/synth/scenarios/``. Every key has an in-code
default, so a file only states what differs; an unknown key is an error, not a
silent typo.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from lab.errors import InputError

__all__ = [
    "Scenario",
    "ScenarioError",
    "Mobility",
    "GpsConfig",
    "CdrConfig",
    "CameraConfig",
    "CheckinConfig",
    "SCENARIO_DIR",
    "available_scenarios",
    "load_scenario",
]

#: Where the named scenarios live: package data in ``lab/synth/scenarios``, read with
#: :mod:`importlib.resources`, so an installed wheel finds them wherever it runs.
SCENARIO_DIR: Traversable = resources.files("lab") / "synth" / "scenarios"

#: Most people a scenario may hold: far above the leak's 2.57 million, far below absurd.
MAX_POPULATION = 20_000_000
MAX_DAYS = 366

ARCHETYPES = ("commuter", "student", "shift_worker", "homebody", "retiree")
RELEASE_NAMES = ("gps", "cdr", "sightings", "checkins")


class ScenarioError(InputError):
    """A scenario file or value that cannot describe a town."""


def _check_share(owner: str, name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ScenarioError(f"{owner}.{name} is a share of people and must lie in [0, 1], got {value!r}")


def _check_positive(owner: str, name: str, value: float) -> None:
    if not value > 0:
        raise ScenarioError(f"{owner}.{name} must be positive, got {value!r}")


@dataclasses.dataclass(frozen=True)
class Mobility:
    """Leisure movement: exploration and preferential return (Song et al. 2010).

    ``rho`` and ``gamma`` set the chance ``rho * S**-gamma`` of exploring a new
    place after ``S`` distinct places; ``jump_beta`` is the exponent of the
    power-law jump length (González et al. 2008) between ``jump_min_m`` and the
    town's edge. Each person's jumps are scaled by a personal reach, lognormal
    with spread ``reach_sigma``: some people live locally, a few range widely,
    which gives the radius of gyration its heavy tail. The defaults are tuned so
    the town scenario lands in every realism band (see ``synthetic/README.md``);
    the generator's ``jump_beta`` is steeper than the measured jump exponent
    because people's reaches mix and places snap jumps to where they are.
    """

    rho: float = 1.0
    gamma: float = 0.15
    jump_beta: float = 2.65
    jump_min_m: float = 300.0
    reach_sigma: float = 1.6
    speed_kmh: float = 24.0

    def __post_init__(self) -> None:
        _check_share("mobility", "rho", self.rho)
        if self.reach_sigma < 0:
            raise ScenarioError(f"mobility.reach_sigma must not be negative, got {self.reach_sigma!r}")
        for name in ("gamma", "jump_beta", "jump_min_m", "speed_kmh"):
            _check_positive("mobility", name, getattr(self, name))


@dataclasses.dataclass(frozen=True)
class GpsConfig:
    """An app that logs location while it is in use."""

    user_share: float = 0.3
    sessions_per_day: float = 6.0
    session_minutes: float = 6.0
    interval_s: int = 60
    accuracy_m: float = 12.0

    def __post_init__(self) -> None:
        _check_share("gps", "user_share", self.user_share)
        for name in ("sessions_per_day", "session_minutes", "interval_s", "accuracy_m"):
            _check_positive("gps", name, getattr(self, name))


@dataclasses.dataclass(frozen=True)
class CdrConfig:
    """An operator's call detail records: bursty events at the serving tower.

    Subscribers' activity rates are lognormal with spread ``activity_sigma`` and
    mean ``events_per_day``: many quiet phones and a few very busy ones, the
    heavy tail seen in operator data. It also sets how often others "cover" a
    trace's points, so it drives unicity as much as the tower grid does.
    Tower spacings are the square root of the area a tower serves; cells cut by
    the coast or next to a denser zone come out smaller, so the outskirts default
    (2,600 m) measures about 2.5 km as a median.
    """

    subscriber_share: float = 0.9
    events_per_day: float = 1.7
    activity_sigma: float = 1.5
    burst_size: float = 1.6
    ping_pong: float = 0.12
    centre_spacing_m: float = 600.0
    outskirts_spacing_m: float = 2600.0

    def __post_init__(self) -> None:
        _check_share("cdr", "subscriber_share", self.subscriber_share)
        _check_share("cdr", "ping_pong", self.ping_pong)
        if self.activity_sigma < 0:
            raise ScenarioError(f"cdr.activity_sigma must not be negative, got {self.activity_sigma!r}")
        for name in ("events_per_day", "centre_spacing_m", "outskirts_spacing_m"):
            _check_positive("cdr", name, getattr(self, name))
        if self.burst_size < 1:
            raise ScenarioError("cdr.burst_size is a mean number of events per burst, at least 1; "
                                f"got {self.burst_size!r}")


@dataclasses.dataclass(frozen=True)
class CameraConfig:
    """Fixed face-recognition cameras at labelled places, matched to the registry."""

    kinds: tuple[str, ...] = ("worship", "hotel", "restaurant", "internet_cafe", "transit", "shop")
    coverage: float = 0.9
    detection: float = 0.9
    repeat_per_hour: float = 0.65

    def __post_init__(self) -> None:
        object.__setattr__(self, "kinds", tuple(self.kinds))
        _check_share("cameras", "coverage", self.coverage)
        _check_share("cameras", "detection", self.detection)
        if self.repeat_per_hour < 0:
            raise ScenarioError(f"cameras.repeat_per_hour must not be negative, got {self.repeat_per_hour!r}")


@dataclasses.dataclass(frozen=True)
class CheckinConfig:
    """Public posts naming places: the adversary's auxiliary knowledge."""

    user_share: float = 0.1
    post_share: float = 0.15
    named_share: float = 0.6

    def __post_init__(self) -> None:
        for name in ("user_share", "post_share", "named_share"):
            _check_share("checkins", name, getattr(self, name))


_SECTIONS = {
    "mobility": Mobility,
    "gps": GpsConfig,
    "cdr": CdrConfig,
    "cameras": CameraConfig,
    "checkins": CheckinConfig,
}


@dataclasses.dataclass(frozen=True)
class Scenario:
    """Everything that defines a generated world, apart from the seed.

    Parameters
    ----------
    name : str
        Short name, used in manifests and file names.
    population : int
        Number of fictional people (the privacy unit).
    days : int
        Length of the observed period in days.
    start : datetime.date
        First day (local calendar).
    timezone : str
        IANA zone of the town's clocks.
    origin_lat, origin_lon : float
        Town centre, degrees. Must be open ocean, so no fictional home lands on a real one.
    radius_km : float
        Mean radius of the island town.
    districts : int
        Number of districts.
    archetypes : dict
        Share of adults by archetype (students and retirees follow from age).
    releases : tuple of str
        Releases to observe; any of gps, cdr, sightings, checkins.
    """

    name: str = "custom"
    description: str = ""
    population: int = 300
    days: int = 14
    start: dt.date = dt.date(2031, 3, 3)
    timezone: str = "Etc/GMT+8"
    origin_lat: float = -48.5
    origin_lon: float = -123.0
    radius_km: float = 12.0
    districts: int = 12
    communities: tuple[str, ...] = ("Aster", "Brine", "Coral", "Dune", "Ember")
    archetypes: dict[str, float] = dataclasses.field(
        default_factory=lambda: {"commuter": 0.66, "shift_worker": 0.14, "homebody": 0.20}
    )
    releases: tuple[str, ...] = RELEASE_NAMES
    mobility: Mobility = dataclasses.field(default_factory=Mobility)
    gps: GpsConfig = dataclasses.field(default_factory=GpsConfig)
    cdr: CdrConfig = dataclasses.field(default_factory=CdrConfig)
    cameras: CameraConfig = dataclasses.field(default_factory=CameraConfig)
    checkins: CheckinConfig = dataclasses.field(default_factory=CheckinConfig)

    def __post_init__(self) -> None:
        if isinstance(self.start, dt.datetime):
            object.__setattr__(self, "start", self.start.date())
        object.__setattr__(self, "releases", tuple(self.releases))
        object.__setattr__(self, "communities", tuple(self.communities))
        if not isinstance(self.population, int) or isinstance(self.population, bool):
            raise ScenarioError(f"population must be a whole number of people, got {self.population!r}")
        if not 1 <= self.population <= MAX_POPULATION:
            raise ScenarioError(
                f"population must be between 1 and {MAX_POPULATION:,} people, got {self.population:,}"
            )
        if not isinstance(self.days, int) or not 1 <= self.days <= MAX_DAYS:
            raise ScenarioError(
                f"days must be a whole number from 1 to {MAX_DAYS} (the end must come after the start), "
                f"got {self.days!r}"
            )
        if not isinstance(self.start, dt.date):
            raise ScenarioError(f"start must be a date such as 2031-03-03, got {self.start!r}")
        if not -80 <= self.origin_lat <= 80 or not -180 <= self.origin_lon <= 180:
            raise ScenarioError(f"origin ({self.origin_lat}, {self.origin_lon}) is not a valid latitude/longitude")
        if not 2 <= self.radius_km <= 100:
            raise ScenarioError(f"radius_km must be between 2 and 100 km, got {self.radius_km!r}")
        if not 2 <= self.districts <= 200:
            raise ScenarioError(f"districts must be between 2 and 200, got {self.districts!r}")
        if len(self.communities) < 2:
            raise ScenarioError("communities must name at least two fictional communities")
        unknown = set(self.archetypes) - {"commuter", "shift_worker", "homebody"}
        if unknown:
            raise ScenarioError(
                f"archetypes: unknown adult archetype(s) {', '.join(sorted(unknown))}; "
                "students and retirees follow from age, adults are commuter, shift_worker or homebody"
            )
        if any(v < 0 for v in self.archetypes.values()) or sum(self.archetypes.values()) <= 0:
            raise ScenarioError("archetypes: shares must be non-negative and not all zero")
        bad = [r for r in self.releases if r not in RELEASE_NAMES]
        if bad:
            raise ScenarioError(f"releases: unknown release(s) {', '.join(bad)}; "
                                f"choose from {', '.join(RELEASE_NAMES)}")
        try:
            import zoneinfo

            zoneinfo.ZoneInfo(self.timezone)
        except Exception:
            raise ScenarioError(f"timezone {self.timezone!r} is not an IANA time zone") from None

    @property
    def end(self) -> dt.date:
        """The day after the last observed day (end exclusive)."""
        return self.start + dt.timedelta(days=self.days)

    @property
    def origin(self) -> tuple[float, float]:
        """``(lat, lon)`` of the town centre."""
        return (self.origin_lat, self.origin_lon)

    @property
    def person_days(self) -> int:
        return self.population * self.days

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form, for manifests (dates as ISO strings)."""
        out = dataclasses.asdict(self)
        out["start"] = self.start.isoformat()
        for key in ("releases", "communities"):
            out[key] = list(out[key])
        out["cameras"]["kinds"] = list(out["cameras"]["kinds"])
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, source: str = "scenario") -> Scenario:
        """Build a scenario from plain data, rejecting unknown keys by name."""
        data = dict(data)
        fields = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - fields - {"end"})
        if unknown:
            raise ScenarioError(f"{source}: unknown key(s) {', '.join(unknown)}")
        for section, klass in _SECTIONS.items():
            if section in data:
                value = data[section]
                if not isinstance(value, dict):
                    raise ScenarioError(f"{source}: [{section}] must be a table of settings")
                known = {f.name for f in dataclasses.fields(klass)}
                bad = sorted(set(value) - known)
                if bad:
                    raise ScenarioError(f"{source}: unknown key(s) in [{section}]: {', '.join(bad)}")
                data[section] = klass(**value)
        if "start" in data and isinstance(data["start"], str):
            try:
                data["start"] = dt.date.fromisoformat(data["start"])
            except ValueError:
                raise ScenarioError(
                    f"{source}: start must be a date such as 2031-03-03, got {data['start']!r}"
                ) from None
        if "end" in data:
            end = data.pop("end")
            if isinstance(end, str):
                try:
                    end = dt.date.fromisoformat(end)
                except ValueError:
                    raise ScenarioError(f"{source}: end must be a date such as 2031-03-17, got {end!r}") from None
            if "days" in data:
                raise ScenarioError(f"{source}: give either days or end, not both")
            start = data.get("start", cls.__dataclass_fields__["start"].default)
            if not isinstance(end, dt.date) or end <= start:
                raise ScenarioError(f"{source}: end {end} is not after start {start}")
            data["days"] = (end - start).days
        try:
            return cls(**data)
        except TypeError as exc:  # wrong value types reaching a comparison
            raise ScenarioError(f"{source}: {exc}") from None


def available_scenarios() -> list[str]:
    """Names of the scenarios shipped in :data:`SCENARIO_DIR`, sorted."""
    if not SCENARIO_DIR.is_dir():
        return []
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in SCENARIO_DIR.iterdir()
        if entry.is_file() and entry.name.endswith(".toml")
    )


def load_scenario(name_or_path: str | Path, **overrides: Any) -> Scenario:
    """Read a scenario by name (``"town"``) or from a TOML file path.

    Parameters
    ----------
    name_or_path : str or path
        A name from :func:`available_scenarios` or a path to a ``.toml`` file.
    **overrides
        Top-level keys to replace after reading (for example ``population=500``).

    Raises
    ------
    ScenarioError
        Unknown name, missing or unreadable file, invalid TOML, unknown key, or a
        value out of range.

    Notes
    -----
    Names are looked up among the package's own files (:data:`SCENARIO_DIR`), never
    in the current directory, so ``load_scenario("town")`` gives the same town from a
    source checkout and from an installed wheel.
    """
    source: Traversable | Path
    path = Path(name_or_path)
    if path.suffix != ".toml":
        name, names = str(name_or_path), available_scenarios()
        if name not in names:
            raise ScenarioError(f"unknown scenario {name!r}; available: {', '.join(names) or 'none found'}")
        source = SCENARIO_DIR / f"{name}.toml"
    elif not path.is_file():
        raise ScenarioError(f"scenario file {str(path)!r} does not exist")
    else:
        source = path
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source.name}: not valid TOML ({exc})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"scenario file {source.name!r} cannot be read ({exc})") from None
    data.setdefault("name", source.name.removesuffix(".toml"))
    data.update(overrides)
    return Scenario.from_dict(data, source=source.name)
