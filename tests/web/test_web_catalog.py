"""Catalog (grouping, Chinese and pinyin search, htmx fragment), guide, themes and static files."""

from __future__ import annotations

from webtools import BIRTH, RELIEF


def test_catalog_groups_by_theme_and_department(client):
    r = client.get("/")
    assert r.status_code == 200
    assert ">出生</h2>" in r.text and ">社会救助</h2>" in r.text
    assert (
        "即办件" in r.text and "承诺件" in r.text and "零跑动" in r.text and "跑动 1 次" in r.text
    )
    assert "当场办结" in r.text and "承诺 5 个工作日" in r.text and "全程网办" in r.text
    by_dept = client.get("/?by=department")
    assert ">县卫生健康局</h2>" in by_dept.text and ">县民政局</h2>" in by_dept.text


def test_search_by_chinese_and_pinyin(client):
    for q in ("出生", "csyx", "chusheng", "卫生健康"):
        r = client.get("/", params={"q": q})
        assert f"/matters/{BIRTH}" in r.text and f"/matters/{RELIEF}" not in r.text, q
    r = client.get("/", params={"q": "lsjz"})
    assert f"/matters/{RELIEF}" in r.text and f"/matters/{BIRTH}" not in r.text
    r = client.get("/", params={"q": "<script>"})
    assert "找到 0 项" in r.text and "<script>" not in r.text.split("</head>")[1]


def test_search_fragment_for_htmx(client):
    r = client.get("/", params={"q": "csyx"}, headers={"hx-request": "true"})
    assert "<html" not in r.text and f"/matters/{BIRTH}" in r.text
    assert "HX-Request" in r.headers["vary"]


def test_guide_lists_every_element(client):
    r = client.get(f"/matters/{BIRTH}")
    text = r.text
    for part in (
        "出生医学证明首次签发",
        "受理条件",
        "申请材料（一次性告知）",
        "母亲居民身份证",
        "可调取“居民身份证”电子证照，无需提交",
        "法定办结时限",
        "1 个工作日",
        "当场办结",
        "到现场次数",
        "不收费",
        "《中华人民共和国母婴保健法》",
        "第二十三条",
        "分娩助产机构“出生一件事”服务窗口",
        "行政复议",
        "县人民法院",
        "办理流程",
        f'action="/apply/{BIRTH}"',
    ):
        assert part in text, part
    relief = client.get(f"/matters/{RELIEF}").text
    assert "容缺受理" in relief and "原件 1 份" in relief and "需核实原件" in relief
    assert client.get("/matters/nope").status_code == 404


def test_apply_link_without_button_goes_to_the_guide(client):
    r = client.get(f"/apply/{BIRTH}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/matters/{BIRTH}#start"


def test_elder_theme_switch_and_static_layers(client):
    r = client.get("/theme/elder", params={"next": "/matters/" + BIRTH}, follow_redirects=False)
    assert (
        r.headers["location"] == "/matters/" + BIRTH and "yj_theme=elder" in r.headers["set-cookie"]
    )
    page = client.get("/matters/" + BIRTH)
    assert "yj-theme-elder" in page.text and "/static/elder.css" in page.text
    assert client.get("/static/elder.css").status_code == 200
    assert client.get("/static/htmx.min.js").status_code == 200  # from the default layer
    assert client.get("/static/../settings.py").status_code == 404
    assert client.get("/static/%2e%2e/%2e%2e/pyproject.toml").status_code == 404
    assert (
        client.get("/theme/default?next=//evil.example", follow_redirects=False).headers["location"]
        == "/"
    )


def test_county_theme_overrides_one_template(web_root, tmp_path):
    from webtools import SAME_ORIGIN, TestClient

    from yijian.web import Settings, create_app

    folder = web_root / "themes" / "zs" / "templates" / "catalog"
    folder.mkdir(parents=True)
    (folder / "_results.html").write_text("<p>中山特色目录</p>", encoding="utf-8")
    app = create_app(Settings(root=web_root, db_path=tmp_path / "c.db", county_theme="zs"))
    with TestClient(app, headers=SAME_ORIGIN) as c:
        r = c.get("/")
        assert "中山特色目录" in r.text and "yj-header" in r.text  # base still from default


def test_county_base_extending_theme_base_keeps_the_elder_stylesheet(web_root, tmp_path):
    from webtools import SAME_ORIGIN, TestClient

    from yijian.web import Settings, create_app

    folder = web_root / "themes" / "zs" / "templates"
    folder.mkdir(parents=True)
    (folder / "base.html").write_text(
        "{% extends theme_base %}{% block footer_links %}<li>中山隐私声明</li>{% endblock %}",
        encoding="utf-8",
    )
    app = create_app(Settings(root=web_root, db_path=tmp_path / "c.db", county_theme="zs"))
    with TestClient(app, headers=SAME_ORIGIN) as c:
        standard = c.get("/")
        assert "中山隐私声明" in standard.text and "elder.css" not in standard.text
        c.cookies.set("yj_theme", "elder")
        elder = c.get("/")
        assert "中山隐私声明" in elder.text and "elder.css" in elder.text
