"""The language switcher's template globals: the offered languages, their URLs and the text direction."""
from app.i18n import rendering
from app.i18n.locale import current_direction, language_options, language_url


def init_app(app):
    rendering.init_app(app)

    @app.context_processor
    def language_context():
        return {"language_options": language_options(), "text_direction": current_direction(),
                "language_url": language_url}
