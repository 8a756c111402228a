def build_demo_sample() -> dict[str, int]:
    return {"widgets": 3}
