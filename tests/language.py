"""Reading a page as a person who chose English (the language picker sets this cookie)."""

from __future__ import annotations

from django.http import HttpResponse
from django.test import Client


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def main(response: HttpResponse) -> str:
    """The page's own content (the shared header, navigation and footer left out)."""
    return response.content.decode().split('<main id="main"', 1)[1].split("</main>", 1)[0]
