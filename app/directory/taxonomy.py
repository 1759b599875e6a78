"""The two-level category taxonomy and the other code lists a listing uses.

Codes are stable identifiers (used in URLs, the index and CSV files); names are
English source strings marked for translation and shown through gettext.
"""
from flask_babel import lazy_gettext as _l

# (code, name, description, [(code, name), ...])
CATEGORIES = [
    ("talk", _l("Someone to talk to"), _l("Befriending, peer support, counselling and support groups."), [
        ("talk-befriending", _l("Befriending")),
        ("talk-peer-support", _l("Peer support")),
        ("talk-counselling", _l("Counselling")),
        ("talk-support-groups", _l("Support groups")),
    ]),
    ("money", _l("Money"), _l("Help with debt, benefits and budgeting."), [
        ("money-debt", _l("Debt advice")),
        ("money-benefits", _l("Benefits and PIP appeals")),
        ("money-budgeting", _l("Budgeting")),
    ]),
    ("housing", _l("Housing"), _l("Somewhere to live, housing advice and help if you are homeless."), [
        ("housing-advice", _l("Housing advice")),
        ("housing-homeless", _l("Homelessness support")),
    ]),
    ("food", _l("Food"), _l("Food banks, community meals and cooking together."), [
        ("food-banks", _l("Food banks")),
        ("food-meals", _l("Community meals")),
    ]),
    ("active", _l("Being active"), _l("Walking, chair exercise, boxing, yoga and sport."), [
        ("active-walking", _l("Walking")),
        ("active-chair-exercise", _l("Chair exercise")),
        ("active-boxing", _l("Boxing")),
        ("active-yoga", _l("Yoga")),
        ("active-sport", _l("Sport")),
    ]),
    ("creative", _l("Creative"), _l("Art, music and writing groups."), [
        ("creative-art", _l("Art")),
        ("creative-music", _l("Music")),
        ("creative-writing", _l("Writing")),
    ]),
    ("learning", _l("Learning and work"), _l("Digital skills, volunteering and help finding work."), [
        ("learning-digital", _l("Digital skills")),
        ("learning-volunteering", _l("Volunteering")),
        ("learning-employment", _l("Employment support")),
    ]),
    ("health", _l("Physical health"), _l("Medication side effects, healthy eating and stopping smoking."), [
        ("health-medication", _l("Medication side effects")),
        ("health-eating", _l("Healthy eating")),
        ("health-smoking", _l("Stop smoking")),
    ]),
    ("substances", _l("Drugs and alcohol"), _l("Confidential support with drugs and alcohol."), [
        ("substances-support", _l("Drug and alcohol support")),
    ]),
    ("community", _l("Community and culture"), _l("Faith groups, cultural centres and community centres."), [
        ("community-faith", _l("Faith groups")),
        ("community-cultural", _l("Cultural centres")),
        ("community-centres", _l("Community centres")),
    ]),
    ("carers", _l("Carers"), _l("Support for people who look after someone."), [
        ("carers-support", _l("Carers support")),
    ]),
    ("urgent", _l("Urgent help"), _l("Crisis support and where to go if you need help now."), [
        ("urgent-crisis", _l("Crisis support")),
    ]),
]

ACCESS_METHODS = {
    "self_refer": _l("Self-refer"),
    "drop_in": _l("Drop in"),
    "referral": _l("Referral needed"),
}

COST_TYPES = {
    "free": _l("Free"),
    "low_cost": _l("Low cost"),
    "paid": _l("Paid"),
}

FORMATS = {
    "in_person": _l("In person"),
    "online": _l("Online"),
    "phone": _l("By phone"),
}

ACCESSIBILITY_FEATURES = {
    "step_free": _l("Step-free access"),
    "hearing_loop": _l("Hearing loop"),
    "bsl": _l("British Sign Language (BSL)"),
    "quiet_space": _l("Quiet space"),
    "accessible_toilet": _l("Accessible toilet"),
}

AUDIENCES = {
    "women": _l("Women only"),
    "men": _l("Men only"),
    "lgbtq": _l("LGBTQ+"),
    "young_adults": _l("Young adults"),
    "older_people": _l("Older people"),
    "carers": _l("Carers"),
    "refugees": _l("Refugees and asylum seekers"),
    "bengali": _l("Bengali community"),
    "somali": _l("Somali community"),
    "black": _l("Black communities"),
    "veterans": _l("Veterans"),
}

CAPACITY_STATUSES = {
    "taking": _l("Taking new people"),
    "waiting_list": _l("Waiting list"),
    "full": _l("Full"),
    "paused": _l("Paused"),
}

SERVICE_STATUSES = {
    "draft": _l("Draft"),
    "published": _l("Published"),
    "archived": _l("Archived"),
}

SCHEDULE_KINDS = ("weekly", "event")

# The demo neighbourhood names (NEIGHBOURHOODS setting), marked so the catalogues carry them.
DEFAULT_NEIGHBOURHOOD_NAMES = (_l("North-West"), _l("Kentish Town"), _l("South"))

# Languages a service may be delivered in (ISO 639-1 codes); names are shown in English
# source form and translated, distinct from the UI languages in app/i18n.
DELIVERY_LANGUAGES = {
    "en": _l("English"),
    "bn": _l("Bengali"),
    "so": _l("Somali"),
    "ar": _l("Arabic"),
    "pt": _l("Portuguese"),
    "es": _l("Spanish"),
    "fr": _l("French"),
    "tr": _l("Turkish"),
    "pl": _l("Polish"),
    "zh": _l("Chinese"),
    "ur": _l("Urdu"),
    "bfi": _l("British Sign Language"),
}


def all_category_codes():
    codes = []
    for code, _name, _desc, subs in CATEGORIES:
        codes.append(code)
        codes.extend(sub_code for sub_code, _sub in subs)
    return codes
