"""Database helpers beneath every app (no models, no settings of their own)."""
