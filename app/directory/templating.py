"""The directory's template filters and globals: category and location labels, search highlights, translations,
directions and QR codes."""
from urllib.parse import quote

import segno
from markupsafe import Markup

from app.directory import listings, taxonomy, word_diff
from app.directory.search import highlight
from app.directory.translations import Localised

OSM = "https://www.openstreetmap.org"


def category_label(code):
    for parent_code, name, _desc, subs in taxonomy.CATEGORIES:
        if parent_code == code:
            return str(name)
        for sub_code, sub_name in subs:
            if sub_code == code:
                return str(sub_name)
    return code


def location_label(location_id, locations):
    location = locations.get(location_id)
    return ", ".join(filter(None, [location.name, location.address_1, location.postcode])) if location else ""


def directions_url(location):
    """OpenStreetMap directions to the place's coordinates, or a search for its postcode when it has none."""
    if location.latitude is not None and location.longitude is not None:
        return f"{OSM}/directions?to={location.latitude:.6f}%2C{location.longitude:.6f}"
    if location.postcode:
        return f"{OSM}/search?query={quote(location.postcode)}"
    return None


def qr_svg(url):
    """A QR code of `url` as inline SVG. It is hidden from screen readers: the URL is always printed beside it."""
    svg = segno.make(str(url), error="m").svg_inline(border=2, svgclass="hg-qr", lineclass=None, omitsize=True)
    # segno writes only its own path data, never the URL, so the markup is safe to inline.
    return Markup(svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1))  # nosec B704


def init_app(app):
    from app.directory import schedule_text
    schedule_text.init_app(app)
    app.jinja_env.filters.update(category_label=category_label, location_label=location_label,
                                 directions_url=directions_url, qr_svg=qr_svg)

    @app.context_processor
    def directory_context():
        return {"taxonomy": taxonomy, "highlight": highlight, "localised": Localised,
                "listing_freshness": listings.freshness, "word_diff": word_diff}
