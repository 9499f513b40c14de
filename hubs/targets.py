"""Targets against results (issue 19): each target of a hub beside the results its
yearly indicators declare, and the geometry of the small chart that shows both.

Used by the hub page and by the funding dashboard's « objectifs et résultats »
table; plain data, no query (the callers read the targets and the indicators).
"""

from decimal import ROUND_HALF_UP, Decimal

#: The chart's box, in SVG user units (it scales with the page).
CHART_WIDTH, CHART_HEIGHT = 320, 150
_TOP, _BOTTOM, _LEFT, _RIGHT = 22, 24, 8, 8


def progress(target, indicators) -> dict:
    """``target`` (a HubTarget) beside ``indicators`` (the hub's HubIndicator rows):
    the latest declared result of its indicator (any year), how much of the target
    it is, and the series by year with the chart's geometry."""
    series = sorted(
        (row.year, getattr(row, target.indicator))
        for row in indicators
        if getattr(row, target.indicator) is not None
    )
    result_year, result = series[-1] if series else (None, None)
    share = (
        (Decimal(result) * 100 / target.value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if result is not None and target.value
        else None
    )
    return {
        "target": target,
        "result": result,
        "result_year": result_year,
        "share": share,
        "series": series,
        "chart": chart(series, target),
    }


def chart(series, target) -> dict:
    """Bars for the yearly results and a line at the target, in a fixed box."""
    top = max([target.value, *(value for _, value in series)]) or 1
    plot_height = CHART_HEIGHT - _TOP - _BOTTOM
    years = [year for year, _ in series]
    if target.horizon_year not in years:
        years.append(target.horizon_year)  # an empty slot at the horizon
    years.sort()
    slot = (CHART_WIDTH - _LEFT - _RIGHT) / max(len(years), 1)
    values = dict(series)
    bars = []
    for index, year in enumerate(years):
        value = values.get(year)
        height = plot_height * value / top if value is not None else 0
        x = _LEFT + index * slot + slot * 0.2
        bars.append(
            {
                "year": year,
                "value": value,
                "x": round(x, 1),
                "width": round(slot * 0.6, 1),
                "y": round(_TOP + plot_height - height, 1),
                "height": round(height, 1),
                "label_x": round(x + slot * 0.3, 1),
                "label_y": round(_TOP + plot_height - height - 4, 1),
                "horizon": year == target.horizon_year,
            }
        )
    target_y = round(_TOP + plot_height - plot_height * target.value / top, 1)
    return {
        "target_label_y": target_y - 5,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "bars": bars,
        "target_y": target_y,
        "axis_y": _TOP + plot_height,
        "year_y": CHART_HEIGHT - 6,
        "left": _LEFT,
        "right": CHART_WIDTH - _RIGHT,
    }
