"""The facet panel of the list pages, written in Python (see listing.facets_html)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from liaison.web.listing import facets_html

register = template.Library()


@register.simple_tag
def facet_panel(facets: Any, sample: Any = None, count_all_url: Any = "") -> SafeString:
    """Write a list's facets, with the note and Count all link when they describe a sample."""
    return SafeString(facets_html(facets or [], sample, str(count_all_url or "")))
