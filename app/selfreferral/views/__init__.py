"""The self-referral's blueprints: /refer/, /spa/ and /spa/reports/."""


def no_store(response):
    """Every page here can show referral data: no browser or proxy may keep it, so the next person at a shared
    computer cannot bring it back with the Back button or from the cache."""
    response.headers["Cache-Control"] = "no-store"
    return response
