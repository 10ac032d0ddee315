"""The learned dispatch suggestion: cold-start model, held-out accuracy, boundary cases,
explanations, versioning, retraining from closed orders, the API, the CLI and the console.

The cold-start model is trained once per session in the session's temporary models folder
(tests/conftest.py `_models_dir`); nothing depends on a model file in the working copy."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from fazhi.cli import app
from fazhi.hotline.routing import suggest as s
from fazhi.hotline.routing.suggest import Suggester
from tests.api.flows import Desk
from tests.support import ServerThread, browser_client

PASSWORD = "fazhi2023"
# The product aims at ≥ 85% top-1 and ≥ 95% top-3 on real-style requests; the held-out file
# here (written separately from the training corpus) measures 95.8% / 99.6%.
TOP1_FLOOR = 0.85
TOP3_FLOOR = 0.95


@pytest.fixture(scope="session")
def models_folder(_models_dir: str) -> Path:
    return Path(_models_dir)


@pytest.fixture(scope="session")
def model(models_folder: Path) -> Suggester:
    """The session's active model: the cold-start model, trained on first use."""
    return s.current_suggester(models_folder)


# -- the corpus and the model ------------------------------------------------------------------


def test_corpus_is_labelled_synthetic_and_large_enough() -> None:
    header = s.COLD_START.read_text(encoding="utf-8").splitlines()[0]
    assert "SYNTHETIC" in header
    texts, labels = s.read_corpus(s.COLD_START)
    counts = s.category_counts(labels)
    assert len(counts) == 24
    assert min(counts.values()) >= 60
    assert len(set(texts)) == len(texts)
    eval_texts, eval_labels = s.read_corpus(s.EVAL_HOLDOUT)
    assert min(s.category_counts(eval_labels).values()) >= 10
    assert not set(eval_texts) & set(texts), "the held-out set must never be trained on"


def test_cold_start_model_reaches_the_accuracy_aim_on_the_held_out_file(model: Suggester) -> None:
    texts, labels = s.read_corpus(s.EVAL_HOLDOUT)
    scores = s.evaluate(model.pipeline, texts, labels)
    assert scores.n == len(texts) >= 240
    assert scores.top1 >= TOP1_FLOOR, scores
    assert scores.top3 >= TOP3_FLOOR, scores
    # The manifest records the same held-out figures.
    assert model.manifest["source"] == "cold_start"
    assert model.manifest["top1"] == scores.top1
    assert model.manifest["top3"] == scores.top3


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("楼下那家烧烤店天天晚上冒烟熏得窗户都不敢开", "CITY_APPEARANCE"),
        ("饭店后厨的油烟直接排到我家窗户上", "CITY_APPEARANCE"),
        ("附近化工厂晚上偷偷排放废气，味道很刺鼻", "ENVIRONMENT"),
        ("工地半夜还在打桩施工，吵得睡不着", "ENVIRONMENT"),
        ("楼上邻居半夜唱歌喝酒吵得睡不着", "PUBLIC_ORDER"),
        ("孩子报的培训班关门了，剩下的学费不给退", "CONSUMER"),
        ("老板拖欠了我三个月工资", "WAGES"),
        ("路面坏了一个大坑，电动车差点摔了", "MUNICIPAL"),
        ("交房好几年了不动产权证还办不下来", "LAND_REGISTRY"),
        ("接到冒充公安的诈骗电话，被骗了一万块", "PUBLIC_ORDER"),
    ],
)
def test_boundary_rules(model: Suggester, text: str, expected: str) -> None:
    assert model.suggest(text, k=1)[0][0] == expected


def test_suggest_ranks_all_categories_with_probabilities(model: Suggester) -> None:
    ranked = model.suggest("小区垃圾好几天没人清运了", k=24)
    assert len(ranked) == 24
    assert len({c for c, _ in ranked}) == 24
    scores = [score for _, score in ranked]
    assert scores == sorted(scores, reverse=True)
    assert abs(sum(scores) - 1) < 0.01
    assert ranked[0][0] == "SANITATION"


def test_explain_returns_words_of_the_text(model: Suggester) -> None:
    text = "楼下那家烧烤店天天晚上冒烟熏得窗户都不敢开"
    words = model.explain(text, "CITY_APPEARANCE", n=5)
    assert 1 <= len(words) <= 5
    assert all(word in text for word in words)
    assert "烧烤店" in words
    assert model.explain(text, "NO_SUCH_CATEGORY") == []


# -- versions ----------------------------------------------------------------------------------


def test_versions_are_numbered_and_the_newest_is_loaded(tmp_path: Path) -> None:
    first = s.train_cold_start(tmp_path)
    assert first["version"] == 1
    texts, labels = s.read_corpus(s.COLD_START)
    second = s.train_from_orders(texts[::3], labels[::3], with_cold_start=False, folder=tmp_path)
    assert second["version"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "suggest-v1.joblib",
        "suggest-v1.json",
        "suggest-v2.joblib",
        "suggest-v2.json",
    ]
    manifests = s.list_versions(tmp_path)
    assert [m["version"] for m in manifests] == [1, 2]
    assert [m["source"] for m in manifests] == ["cold_start", "deployment"]
    for m in manifests:
        assert 0 < m["top1"] <= m["top3"] <= 1
        assert m["n_train"] > 0 and m["n_test"] > 0 and m["trained_at"] and m["params"]
    active = s.current_suggester(tmp_path)
    assert active.manifest["version"] == 2
    assert active.manifest["n_orders"] == len(texts[::3])


def test_stratified_split_holds_out_a_fifth_of_each_category() -> None:
    texts = [f"t{i}" for i in range(100)]
    labels = ["A"] * 50 + ["B"] * 50
    train_x, _train_y, test_x, test_y = s.stratified_split(texts, labels)
    assert test_y.count("A") == 10 and test_y.count("B") == 10
    assert not set(train_x) & set(test_x) and len(train_x) + len(test_x) == 100


# -- retraining from the deployment's closed orders --------------------------------------------


def _cli(env: dict[str, str], *args: str, stdin: str | None = None) -> Any:
    return CliRunner().invoke(app, list(args), env=env, input=stdin)


def test_route_train_from_closed_orders(
    login: Callable[[str], Any], database_url: str, tmp_path: Path
) -> None:
    desk = Desk(login)
    for category, content in [
        ("CITY_APPEARANCE", "路口烧烤摊占道经营（测试合成数据）"),
        ("CITY_APPEARANCE", "饭馆油烟扰民（测试合成数据）"),
        ("SANITATION", "垃圾桶满了没人清运（测试合成数据）"),
        ("SANITATION", "公厕脏乱无人打扫（测试合成数据）"),
    ]:
        desk.closed(category=category, content=content)
    env = {"FAZHI_DATABASE_URL": database_url, "FAZHI_MODELS_DIR": str(tmp_path)}

    refused = _cli(env, "route", "train", "--min-orders", "100000")
    assert refused.exit_code == 0, refused.output
    assert "少于 100000 件" in refused.output
    assert [m["source"] for m in s.list_versions(tmp_path)] == ["cold_start"]

    trained = _cli(env, "route", "train", "--min-orders", "4")
    assert trained.exit_code == 0, trained.output
    manifests = s.list_versions(tmp_path)
    assert [m["source"] for m in manifests] == ["cold_start", "deployment"]
    newest = manifests[-1]
    assert newest["n_orders"] >= 4 and newest["n_test"] >= 2
    assert f"v{newest['version']}" in trained.output

    listed = _cli(env, "route", "models")
    assert listed.exit_code == 0, listed.output
    assert "v1" in listed.output and "v2" in listed.output


# -- CLI suggest -------------------------------------------------------------------------------


def test_cli_suggest_keeps_the_input_order(
    tmp_path: Path, database_url: str, models_folder: Path, model: Suggester
) -> None:
    lines = [
        "老板拖欠工资三个月了",
        "",
        "小区门口垃圾堆成山没人清运",
        "家里停水一整天了",
        "楼下烧烤店油烟太大",
    ]
    path = tmp_path / "requests.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = {"FAZHI_DATABASE_URL": database_url, "FAZHI_MODELS_DIR": str(models_folder)}
    result = _cli(env, "route", "suggest", "--input", str(path), "--k", "2")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [r["line"] for r in records] == [1, 2, 3, 4, 5]
    assert [r["text"] for r in records] == lines
    assert "error" in records[1] and "candidates" not in records[1]
    tops = [r["candidates"][0]["category"] for r in records if "candidates" in r]
    assert tops == ["WAGES", "SANITATION", "UTILITIES", "CITY_APPEARANCE"]
    first = records[0]["candidates"]
    assert len(first) == 2
    assert set(first[0]) >= {"category", "unit", "score"}
    assert "人力资源" in first[0]["unit"]["name"]

    missing = _cli(env, "route", "suggest", "--input", str(tmp_path / "none.txt"))
    assert missing.exit_code == 2


# -- API ---------------------------------------------------------------------------------------

SUGGEST = "/api/v1/routing/suggest"


def test_api_suggest_shape(login: Callable[[str], Any], model: Suggester) -> None:
    client = login("operator1")
    response = client.post(
        SUGGEST,
        json={"text": "楼下那家烧烤店天天晚上冒烟熏得窗户都不敢开", "address": "樱花地带小区3栋"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"candidates", "grid", "street", "model"}
    assert len(body["candidates"]) == 3
    top = body["candidates"][0]
    assert top["category"] == "CITY_APPEARANCE"
    assert top["category_label"] == "市容秩序"
    assert top["unit"]["code"] == "SF-CGJ" and {"id", "code", "name"} <= set(top["unit"])
    assert 0 < top["score"] <= 1
    assert top["why"] and all(w in "楼下那家烧烤店天天晚上冒烟熏得窗户都不敢开" for w in top["why"])
    assert body["street"] is not None and body["street"]["name"]
    assert body["model"]["version"] >= 1 and body["model"]["top1"] >= TOP1_FLOOR

    any_role = login("cgj_handler").post(SUGGEST, json={"text": "邻居家漏水不肯赔", "k": 24})
    assert any_role.status_code == 200, any_role.text
    candidates = any_role.json()["candidates"]
    assert len(candidates) == 24
    assert any_role.json()["grid"] is None and any_role.json()["street"] is None
    dispute = next(c for c in candidates if c["category"] == "DISPUTE")
    assert dispute["unit"] is None  # street-led, and no place was given


def test_api_dispute_goes_to_the_street_of_the_place(login: Callable[[str], Any]) -> None:
    response = login("operator1").post(
        SUGGEST,
        json={"text": "楼上漏水到我家，邻居不肯赔偿，想找人调解", "address": "樱花地带小区"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["candidates"][0]["category"] == "DISPUTE"
    assert body["candidates"][0]["unit"] == body["street"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"text": "停水", "k": 0}, "k"),
        ({"text": "停水", "k": 25}, "k"),
        ({"text": "停水", "longitude": 112.9}, "latitude"),
        ({}, "text"),
    ],
)
def test_api_suggest_errors(
    login: Callable[[str], Any], payload: dict[str, Any], field: str
) -> None:
    response = login("operator1").post(SUGGEST, json=payload)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] and body["message"] and body["field"] == field


def test_api_suggest_needs_a_login(anonymous: httpx.Client) -> None:
    response = anonymous.post(SUGGEST, json={"text": "停水了"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


# -- console -----------------------------------------------------------------------------------


def test_intake_suggestion_box(server: ServerThread, model: Suggester) -> None:
    with browser_client(server.url) as http:
        signed_in = http.post("/login", data={"username": "operator1", "password": PASSWORD})
        assert signed_in.status_code == 303
        page = http.get("/intake")
        assert 'hx-get="/intake/suggest"' in page.text and "/static/hotline/suggest.js" in page.text
        box = http.get("/intake/suggest", params={"content": "老板拖欠工资三个月了"})
        assert box.status_code == 200
        assert box.text.count('class="suggest-pick"') == 3
        assert 'data-category="WAGES"' in box.text and "为什么" in box.text
        empty = http.get("/intake/suggest", params={"content": ""})
        assert empty.status_code == 200 and "suggest-pick" not in empty.text


def test_dispatch_form_shows_the_top_suggestion(
    login: Callable[[str], Any], server: ServerThread, model: Suggester
) -> None:
    case_id = Desk(login).registered(
        category="SANITATION", content="小区垃圾堆了三天没人清运，臭得很"
    )
    with browser_client(server.url) as http:
        signed_in = http.post("/login", data={"username": "dispatcher1", "password": PASSWORD})
        assert signed_in.status_code == 303
        page = http.get(f"/cases/{case_id}", params={"action": "dispatch"})
        assert page.status_code == 200
        assert "智能建议：环境卫生" in page.text, page.text[:2000]
