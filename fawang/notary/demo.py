"""Demo placeholder (replaced below)."""


def build_demo_notary() -> dict[str, int]:
    return {}
