"""A stand-in classifier for the hook test (the real one comes with the consultation module)."""


def always_labour(text: str) -> dict[str, float]:
    return {"labour": 0.9, "not_a_topic": 0.1}
