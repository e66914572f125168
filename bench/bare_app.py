"""The bare Flask page `bench/pages.py` compares Ohjaamo's pages with: one small page
rendered from a Jinja template, no database, served by gunicorn with the same settings.

    gunicorn -c config/gunicorn.conf.py bench.bare_app:app
"""

from __future__ import annotations

from flask import Flask, jsonify, render_template_string

PAGE = """<!doctype html>
<html lang="fi"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><main><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}
</ul></main></body></html>"""

app = Flask(__name__)


@app.get("/")
def page() -> str:
    return render_template_string(PAGE, title="Paljas sivu", items=range(10))


@app.get("/healthz")
def healthz():
    return jsonify(status="ok")
