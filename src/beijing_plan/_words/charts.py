# ruff: noqa: RUF001 (Chinese words are written with full-width punctuation, as they should be)
"""The words of charts: titles, axes, legends and dates."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .labels import KIND_NAMES, LEAVES

__all__ = [
    "CHART_WORDS",
    "DATE_WORDS",
    "UNIT_WORDS_EN",
]

# -- charts ----------------------------------------------------------------------------

_CHART = {
    "en": {
        "theme": KIND_NAMES["en"]["theme"],
        "measure": KIND_NAMES["en"]["measure"],
        "leaf": LEAVES["en"]["chart"],
        "unit": KIND_NAMES["en"]["unit"],
        "report_on_time": "on time",
        "report_late": "late",
        "report_missing": "missing",
        "completion": "Completion (bars) and expected by now (marks)",
        "expected": "expected by now",
        "no_data": "no data",
        "as_of": "as of {day}",
        "date": "Date",
        "value": "Value ({unit})",
        "value_plain": "Value",
        "target": "target {goal}",
        "baseline": "baseline",
        "planned": "planned path",
        "observed": "observed",
        "cumulative": "cumulative total",
        "meets": "forecast: meets the target",
        "misses": "forecast: misses the target",
        "deadline": "deadline",
        "to": "to",
        "font": "Chinese text needs a font with Chinese glyphs, and none is installed, so the "
        "chart is drawn in English. Install one (on Debian or Ubuntu: apt install "
        "fonts-noto-cjk; elsewhere Noto Sans CJK SC or Source Han Sans SC), then restart "
        "Python, or pass font= naming an installed one.",
        "over_time": "Completion (solid) and expected (dashed)",
        "expected_of": "{title}: expected",
    },
    "zh": {
        "theme": KIND_NAMES["zh"]["theme"],
        "measure": KIND_NAMES["zh"]["measure"],
        "leaf": LEAVES["zh"]["chart"],
        "unit": KIND_NAMES["zh"]["unit"],
        "report_on_time": "按时报送",
        "report_late": "逾期报送",
        "report_missing": "未报送",
        "completion": "完成度（条）与当前预期（标记）",
        "expected": "当前预期",
        "no_data": "无数据",
        "as_of": "截至{day}",
        "date": "日期",
        "value": "数值（{unit}）",
        "value_plain": "数值",
        "target": "目标 {goal}",
        "baseline": "基线",
        "planned": "计划进度",
        "observed": "观测值",
        "cumulative": "累计值",
        "meets": "预测：可达成",
        "misses": "预测：未达成",
        "deadline": "截止日期",
        "to": "至",
        "over_time": "完成度（实线）与预期（虚线）",
        "expected_of": "{title}：预期",
    },
}

#: The English words of the units whose symbols need a Chinese font, for a chart drawn
#: without one (with one, every chart shows the symbol, `万元`, in either language).
UNIT_WORDS_EN: Mapping[str, str] = MappingProxyType(
    {"yuan": "yuan", "wan_yuan": "10k yuan", "yi_yuan": "100M yuan", "wan_m2": "10k m²"}
)

#: How a time axis names months, quarters, years and days, by language; `month` and
#: `quarter` are the names of each, January and the first quarter first.
DATE_WORDS: Mapping[str, Mapping[str, object]] = MappingProxyType(
    {
        "en": MappingProxyType(
            {
                "month": (
                    "Jan",
                    "Feb",
                    "Mar",
                    "Apr",
                    "May",
                    "Jun",
                    "Jul",
                    "Aug",
                    "Sep",
                    "Oct",
                    "Nov",
                    "Dec",
                ),
                "quarter": ("Q1", "Q2", "Q3", "Q4"),
                "year": "{year}",
                "with_year": "{name} {year}",
                "day": "{month} {day}",
            }
        ),
        "zh": MappingProxyType(
            {
                "month": tuple(f"{number}月" for number in range(1, 13)),
                "quarter": ("一季度", "二季度", "三季度", "四季度"),
                "year": "{year}年",
                "with_year": "{year}年{name}",
                "day": "{month}{day}日",
            }
        ),
    }
)

#: The words of a chart, by language.
CHART_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {lang: MappingProxyType(words) for lang, words in _CHART.items()}
)
