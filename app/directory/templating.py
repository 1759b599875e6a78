"""The directory's template filters and globals: category and location labels, search highlights, translations."""
from app.directory import taxonomy
from app.directory.search import highlight
from app.directory.translations import Localised


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


def init_app(app):
    app.jinja_env.filters.update(category_label=category_label, location_label=location_label)

    @app.context_processor
    def directory_context():
        return {"taxonomy": taxonomy, "highlight": highlight, "localised": Localised}
