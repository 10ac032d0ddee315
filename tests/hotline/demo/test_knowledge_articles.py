"""The demo's 知识库: 40+ synthetic articles (合成) over the hotline's categories, owned by
units of the demo organisation, published and searchable, seeded once."""

from __future__ import annotations

from sqlalchemy import func, select

from fazhi.actions.platform import Platform
from fazhi.catalog.categories import load_categories
from fazhi.hotline.demo.knowledge_articles import ARTICLES, seed_knowledge
from fazhi.hotline.read.knowledge import ranked
from fazhi.hotline.store.knowledge import KnowledgeArticle


def test_demo_articles_are_synthetic_published_and_seeded_once(platform: Platform) -> None:
    codes = {c.code for c in load_categories()}
    assert len(ARTICLES) >= 40
    assert all(a[0] in codes and a[1] in platform.directory().by_code for a in ARTICLES)
    assert len({a[0] for a in ARTICLES}) >= 15
    seed_knowledge(platform)
    assert seed_knowledge(platform) == 0
    with platform.sessions() as session:
        where = (KnowledgeArticle.synthetic.is_(True), KnowledgeArticle.status == "published")
        count = session.scalar(select(func.count(KnowledgeArticle.id)).where(*where))
        assert count == len(ARTICLES)
        top = ranked(session, platform.region_code, "公司一直不和我签劳动合同")
        assert top and "劳动合同" in top[0][0].question
