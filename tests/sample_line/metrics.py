from datetime import date


def widgets(day: date) -> dict[int, float]:
    return {}


FLOW_COUNTERS = {"sample_line.widgets": widgets}
