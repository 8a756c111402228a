"""A minimal business line that exists only for the registry test: its folder, its registry entry,
and one INSTALLED_APPS line (in ``settings.py`` beside it) are all it takes to be part of the
platform."""
