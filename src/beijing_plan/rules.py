"""The rules of an assessment: missing data, roll-up, thresholds, colours, labels.

[`Progress`][beijing_plan.rules.Progress] is the status an assessment gives any result (see
[Concepts: Status][status]); [`Rules`][beijing_plan.rules.Rules] holds every choice the engine
leaves to its user. Both are plain
values with no dependency on the model, so any layer may use them.

>>> rules = Rules(on_track=0.9)
>>> rules.colour(Progress.AT_RISK)
'amber'
>>> rules.label(Progress.OFF_TRACK, lang="zh")
'滞后'

Decisions where the design is silent:

- `colours` and `labels` given to [`Rules`][beijing_plan.rules.Rules] are merged over the defaults,
  so a mapping may name only the statuses it changes; keys may be
  [`Progress`][beijing_plan.rules.Progress] members or their values.
- `labels` maps a language (`"zh"`, `"en"` or any other code) to a mapping of
  statuses to labels; [`Rules.label`][beijing_plan.rules.Rules.label] falls back to English for a
  status a language does not name, and refuses a language it has no label for at all.
- `on_track` and `at_risk` are finite and not negative; `on_track` may exceed
  1 (a schedule performance index may).
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import attrs

from ._errors import fail
from ._words import STATUS_COLOURS, STATUS_LABELS

__all__ = ["DEFAULT_COLOURS", "DEFAULT_LABELS", "Progress", "Rules"]


class Progress(enum.StrEnum):
    """How a result stands at the date of an assessment."""

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    OVERDUE = "overdue"
    NO_DATA = "no_data"
    CANCELLED = "cancelled"


#: The RAG colour of each status.
DEFAULT_COLOURS: Mapping[Progress, str] = MappingProxyType(
    {Progress(value): colour for value, colour in STATUS_COLOURS.items()}
)

#: The label of each status, by language.
DEFAULT_LABELS: Mapping[str, Mapping[Progress, str]] = MappingProxyType(
    {
        lang: MappingProxyType({Progress(value): text for value, text in by_status.items()})
        for lang, by_status in STATUS_LABELS.items()
    }
)

_MISSING = ("zero", "exclude")
_ROLLUP = ("flat", "nested")
_BASIS = ("revised", "original")


def _progress_key(path: str, key: object) -> Progress:
    if isinstance(key, Progress):
        return key
    if isinstance(key, str) and key in Progress.__members__.values():
        return Progress(key)
    valid = ", ".join(repr(p.value) for p in Progress)
    raise fail(path, f"{key!r} is not one of {valid}")


def _status_map(path: str, value: object, default: Mapping[Progress, str]) -> dict[Progress, str]:
    if not isinstance(value, Mapping):
        raise fail(path, f"{value!r} is not a mapping of statuses")
    merged = dict(default)
    for key, text in value.items():
        progress = _progress_key(path, key)
        if not isinstance(text, str) or not text.strip():
            raise fail(f"{path}[{progress.value!r}]", f"{text!r} is not a non-blank string")
        merged[progress] = text
    return merged


def _as_colours(value: Mapping[Progress | str, str] | None) -> Mapping[Progress, str]:
    if value is None:
        return DEFAULT_COLOURS
    return MappingProxyType(_status_map("colours", value, DEFAULT_COLOURS))


def _as_labels(
    value: Mapping[str, Mapping[Progress | str, str]] | None,
) -> Mapping[str, Mapping[Progress, str]]:
    if value is None:
        return DEFAULT_LABELS
    if not isinstance(value, Mapping):
        raise fail("labels", f"{value!r} is not a mapping of languages")
    merged: dict[str, Mapping[Progress, str]] = dict(DEFAULT_LABELS)
    for lang, labels in value.items():
        if not isinstance(lang, str) or not lang.strip():
            raise fail("labels", f"{lang!r} is not a language code")
        base = DEFAULT_LABELS.get(lang, {})
        merged[lang] = MappingProxyType(_status_map(f"labels[{lang!r}]", labels, base))
    return MappingProxyType(merged)


def _one_of(choices: tuple[str, ...]) -> Any:
    def check(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            valid = ", ".join(repr(c) for c in choices)
            raise fail(attribute.name, f"{value!r} is not one of {valid}")

    return check


def _as_threshold(value: float | int) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail("threshold", f"{value!r} is not a number")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise fail("threshold", f"{value!r} is not a finite number of 0 or more")
    return number


def _as_credit(value: float | int | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise fail("in_progress_credit", f"{value!r} is not a number")
    credit = float(value)
    if not 0.0 <= credit <= 1.0:  # also refuses NaN
        raise fail("in_progress_credit", f"{value!r} is not between 0 and 1")
    return credit


@attrs.frozen
class Rules:
    """Every choice an assessment leaves to its user.

    Attributes:
        missing: `"zero"` counts a leaf or target with no data as 0; `"exclude"`
            leaves it out of the mean (coverage still shows it).
        rollup: `"flat"` weighs every leaf of a group; `"nested"` takes the plain
            mean of a group's children.
        on_track: The schedule performance index from which a result is on track.
        at_risk: The index from which a result is at risk rather than off track.
        in_progress_credit: The completion of a leaf in progress with no reported
            percent, or `None` to treat it as having nothing recorded.
        basis: `"revised"` assesses against the plan in force at the date, as the
            ledger's revisions leave it; `"original"` against the plan as first
            approved, ignoring revisions.
        colours: The RAG colour of each status.
        labels: The label of each status, by language.

    >>> Rules(missing="exclude").missing
    'exclude'
    >>> Rules(at_risk=0.99)
    Traceback (most recent call last):
    ...
    beijing_plan.exceptions.PlanValidationError: at_risk: 0.99 is above on_track 0.95
    """

    missing: str = attrs.field(default="zero", kw_only=True, validator=_one_of(_MISSING))
    rollup: str = attrs.field(default="flat", kw_only=True, validator=_one_of(_ROLLUP))
    on_track: float = attrs.field(default=0.95, kw_only=True, converter=_as_threshold)
    at_risk: float = attrs.field(default=0.6, kw_only=True, converter=_as_threshold)
    in_progress_credit: float | None = attrs.field(default=None, kw_only=True, converter=_as_credit)
    basis: str = attrs.field(default="revised", kw_only=True, validator=_one_of(_BASIS))
    colours: Mapping[Progress, str] = attrs.field(
        default=None, kw_only=True, converter=_as_colours, hash=False
    )
    labels: Mapping[str, Mapping[Progress, str]] = attrs.field(
        default=None, kw_only=True, converter=_as_labels, hash=False
    )

    def __attrs_post_init__(self) -> None:
        if self.at_risk > self.on_track:
            raise fail("at_risk", f"{self.at_risk!r} is above on_track {self.on_track!r}")

    def __getstate__(self) -> dict[str, object]:
        """The fields, colours and labels as plain dicts (`None`: the defaults).

        A mapping proxy cannot be pickled; `__setstate__` wraps them again.
        """
        state = {field.name: getattr(self, field.name) for field in attrs.fields(Rules)}
        colours, labels = self.colours, self.labels
        state["colours"] = None if colours is DEFAULT_COLOURS else dict(colours)
        state["labels"] = (
            None
            if labels is DEFAULT_LABELS
            else {lang: dict(by_status) for lang, by_status in labels.items()}
        )
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        colours, labels = state["colours"], state["labels"]
        for name, value in state.items():
            object.__setattr__(self, name, value)
        object.__setattr__(
            self,
            "colours",
            DEFAULT_COLOURS if colours is None else MappingProxyType(colours),
        )
        object.__setattr__(
            self,
            "labels",
            DEFAULT_LABELS
            if labels is None
            else MappingProxyType(
                {lang: MappingProxyType(by_status) for lang, by_status in labels.items()}
            ),
        )

    def colour(self, progress: Progress | str) -> str:
        """The RAG colour of a status.

        >>> Rules(colours={"done": "green"}).colour("done")
        'green'
        """
        return self.colours[_progress_key("progress", progress)]

    def label(self, progress: Progress | str, lang: str = "en") -> str:
        """The label of a status in `lang` (`"en"` or `"zh"` by default).

        Raises:
            PlanValidationError: if no label is known in `lang`.
        """
        progress = _progress_key("progress", progress)
        labels = self.labels.get(lang)
        if labels is None:
            known = ", ".join(repr(k) for k in sorted(self.labels))
            raise fail("lang", f"{lang!r} is not a language of the labels (known: {known})")
        text = labels.get(progress)
        return text if text is not None else self.labels["en"][progress]
