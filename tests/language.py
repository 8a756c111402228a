"""Reading a page as a person who chose English (the language picker sets this cookie)."""

from __future__ import annotations

from django.test import Client


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client
