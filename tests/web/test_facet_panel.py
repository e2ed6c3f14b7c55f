"""The facet panel is written in Python: the same HTML the template loop wrote."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client

from liaison.web.listing import Facet, FacetValue, facets_html
from tests.web.conftest import Ledger

pytestmark = pytest.mark.django_db

# The panel as the template wrote it before it was written in Python.
LOOPED = Template(
    '{% load humanize %}<aside class="facets" aria-label="Filters">\n'
    '{% if facet_sample %}  <p class="facet-note muted small" role="note">Counts of the newest'
    ' {{ facet_sample|intcomma }} only. <a href="{{ count_all_url }}" rel="nofollow">Count all'
    "</a></p>\n"
    "{% endif %}{% for facet in facets %}{% if facet.values %}\n"
    '  <section class="facet">\n'
    "    <h3>{{ facet.title }}</h3>\n"
    "    <ul>\n"
    "    {% for item in facet.values %}\n"
    '      <li{% if item.selected %} class="selected"{% endif %}><a href="{{ item.url }}"'
    '{% if item.selected %} title="Remove this filter"{% endif %}><span class="facet-label">'
    '{{ item.label }}</span><span class="facet-count">{{ item.count }}</span></a></li>\n'
    "    {% endfor %}\n"
    "    </ul>\n"
    "  </section>\n"
    "{% endif %}{% endfor %}\n"
    "</aside>"
)

FACETS = [
    Facet(
        "type",
        "Type & kind",
        [
            FacetValue("visit", "visit", 1200, False, "?q=a&type=visit"),
            FacetValue("call", "<call>", 3, True, "?q=a"),
        ],
        "<call>",
        "?q=a",
    ),
    Facet("year", "Year", []),
    Facet("country", "Held in", [FacetValue("VNM", 'Viet "Nam"', 7, False, "?country=VNM")]),
]


@pytest.mark.parametrize(
    ("facets", "sample", "count_all"),
    [(FACETS, 1000, "?q=a&count=all"), (FACETS, None, ""), ([], 300, "?count=all"), ([], "", "")],
)
def test_the_written_panel_is_the_looped_one(
    facets: list[Facet], sample: Any, count_all: str
) -> None:
    context = Context({"facets": facets, "facet_sample": sample, "count_all_url": count_all})
    assert facets_html(facets, sample, count_all) == LOOPED.render(context)


def test_list_pages_show_the_written_panel(logged_in: Client, ledger: Ledger) -> None:
    for path in ("/exchanges/", "/actors/", "/countries/", "/mechanisms/", "/sources/"):
        page = logged_in.get(path).content.decode()
        assert '<aside class="facets" aria-label="Filters">' in page
        assert '<section class="facet">' in page, path
