from datetime import timedelta

from fawang.core.registry import CONSOLE, PORTAL, Declaration, NavEntry, PeriodicJob, words

REGISTRY = Declaration(
    name="sample_line",
    label="示例业务",
    urls="tests.sample_line.urls",
    url_prefix="sample/",
    api_router="tests.sample_line.api:router",
    nav=(
        NavEntry(CONSOLE, "示例工作", "sample_line:work", ("notary",), order=70),
        NavEntry(PORTAL, "示例服务", "sample_line:work", order=45),
    ),
    metrics="tests.sample_line.metrics",
    periodic_jobs=(
        PeriodicJob("sample_line.tick", "tests.sample_line.tasks:tick", timedelta(hours=2)),
    ),
    demo="tests.sample_line.demo:build_demo_sample",
    demo_order=50,
    hooks={"sample_line.poked": ("tests.sample_line.hooks:on_poked",)},
    audit_events=words("sample_line.done"),
    error_codes=words("sample_refused"),
)
