"""HTML pages from Jinja2 templates (report/templates/) with autoescaping: every value is escaped unless a
template marks it `|safe`, so escaping cannot be forgotten. The templates get the string catalog as `t(key)`."""

from __future__ import annotations

from functools import cache

from ..base import i18n


@cache
def environment():
    """The one Jinja2 environment of the package: templates from report/templates/, autoescaped, strict."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("chodon_analysis.report", "templates"), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals.update(number=i18n.number, percent=i18n.percent, status=i18n.status)
    return env


def render(template: str, lang: str = "vi", **context: object) -> str:
    """The page `template` rendered in `lang`: `t("key", name=...)` in a template gives the catalog's words."""
    page = environment().get_template(template)
    return page.render(lang=lang, t=lambda key, **values: i18n.text(key, lang, **values), **context)
