"""Which listing a row names: by its service_slug, or, with none, by its organisation and name, so a file
exported, edited and imported again without slugs updates its listings instead of adding them twice."""
from flask_babel import gettext as _

from app.directory.models import Service
from app.extensions import db


def name_key(name):
    """Names that differ only in case or spacing are the same listing's."""
    return " ".join((name or "").split()).casefold()


def check_name(row):
    name = row.plan.name = row.cell("name")
    if not row.has("name"):
        return
    if not name:
        row.problem("name", _("Enter the listing's name."))
    elif len(name) > 200:
        row.problem("name", _("Use 200 characters or fewer."))
    else:
        row.plan.fields["name"] = name
        _match_by_name(row, name)


def _match_by_name(row, name):
    """A row without a service_slug updates the organisation's listing of that name, rather than adding it
    again; two such listings, or two such rows, need slugs to tell them apart."""
    plan = row.plan
    if plan.slug or plan.service is not None or not plan.org_slug:
        return
    key = (plan.org_slug, name_key(name))
    if key in row.checker.seen_names:
        row.problem("name", _("Row %(row)s already has the listing ‘%(name)s’ for this organisation. Give each "
                              "its service_slug, or remove one.", row=row.checker.seen_names[key], name=name))
        return
    row.checker.seen_names[key] = row.number
    found = row.checker.by_name.get((plan.org.id, key[1]), []) if plan.org is not None else []
    if len(found) > 1:
        row.problem("service_slug", _("%(org)s has %(num)s listings called ‘%(name)s’. Fill in service_slug to say "
                                      "which one this row updates.", org=plan.org.name, num=len(found), name=name))
    elif found:
        plan.service = db.session.get(Service, found[0])
        plan.slug = plan.service.slug
        plan.matched_by_name = True
        if plan.slug in row.checker.seen_slugs:
            row.problem("name", _("The listing %(slug)s is already in row %(row)s. Each listing can appear only "
                                  "once in a file.", slug=plan.slug, row=row.checker.seen_slugs[plan.slug]))
        row.checker.seen_slugs[plan.slug] = row.number
