"""City policy packs: the numbers a city's documents set, read by every business line."""
