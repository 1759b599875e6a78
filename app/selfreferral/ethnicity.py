"""The ethnic groups the equality question offers (the 2021 census groups for England)."""
from flask_babel import lazy_gettext as _l

ETHNICITY_GROUPS = [
    ("asian-bangladeshi", _l("Asian or Asian British: Bangladeshi")),
    ("asian-chinese", _l("Asian or Asian British: Chinese")),
    ("asian-indian", _l("Asian or Asian British: Indian")),
    ("asian-pakistani", _l("Asian or Asian British: Pakistani")),
    ("asian-other", _l("Asian or Asian British: any other Asian background")),
    ("black-african", _l("Black, Black British, Caribbean or African: African")),
    ("black-caribbean", _l("Black, Black British, Caribbean or African: Caribbean")),
    ("black-other", _l("Black, Black British, Caribbean or African: any other Black background")),
    ("mixed-white-asian", _l("Mixed or multiple ethnic groups: White and Asian")),
    ("mixed-white-black-african", _l("Mixed or multiple ethnic groups: White and Black African")),
    ("mixed-white-black-caribbean", _l("Mixed or multiple ethnic groups: White and Black Caribbean")),
    ("mixed-other", _l("Mixed or multiple ethnic groups: any other mixed background")),
    ("white-british", _l("White: English, Welsh, Scottish, Northern Irish or British")),
    ("white-irish", _l("White: Irish")),
    ("white-gypsy-traveller", _l("White: Gypsy or Irish Traveller")),
    ("white-roma", _l("White: Roma")),
    ("white-other", _l("White: any other White background")),
    ("other-arab", _l("Other ethnic group: Arab")),
    ("other-any", _l("Other ethnic group: any other ethnic group")),
]
