"""A draft with two versions, shared by the tests of the analysis panel and of the version summaries."""

from drafter.services.drafts import create_draft, save_version

#: First version: a numbering gap (二、 without 一、), a half-width comma and stock phrases; second: fixed.
V1 = "工作总结\n二、办文数量大幅增长,成效大幅提升。\n"
V2 = "工作总结\n一、概况\n二、办文数量增长18.6%。\n"


def two_version_draft(db, office) -> int:  # type: ignore[no-untyped-def]
    """The junior's draft 工作总结 with versions V1 and V2; its id."""
    with db.session() as session:
        draft = create_draft(session, office.user(session, "junior"), "工作总结", text=V1)
        save_version(session, draft, office.user(session, "junior"), V2, 1)
        return draft.id
