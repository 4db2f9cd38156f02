"""Jinja2 templates of the brief (kept in Python so they ship with the package).

``FRAGMENT`` is the brief alone (a ``<section>`` a web page can embed); ``PAGE`` wraps it
in a complete, printable HTML document with its own CSS (also the source of the PDF).
"""

from __future__ import annotations

FRAGMENT = """\
<section class="migmap-brief{% if thin %} migmap-brief--thin{% endif %}">
  <header class="brief-head">
    <p class="brief-kicker">migmap · entry-point brief · {{ generated }}</p>
    <h1>{{ title }}</h1>
    <p class="brief-question"><strong>Question.</strong> {{ question }}</p>
    {% if asker_guidance %}<p class="brief-guidance"><strong>As {{ asker_article }}, in general</strong> [F]: {{ asker_guidance }}</p>{% endif %}
    <p class="brief-evidence{% if thin %} brief-evidence--thin{% endif %}"><strong>Evidence.</strong> {{ evidence_note }}</p>
  </header>

  <table class="brief-summary">
    <thead><tr><th>#</th><th>Partner to engage</th><th>Contribution to seek</th><th>How</th><th>Gap</th><th>Mapped</th></tr></thead>
    <tbody>
    {% for o in options %}
      <tr>
        <td>{{ o.rank }}</td>
        <td><strong>{{ o.title }}</strong><br><span class="muted">{{ o.partner }} · {{ o.stage }}</span></td>
        <td>{{ o.contributions | join(", ") }}</td>
        <td>{{ o.modalities | join(", ") }}</td>
        <td><span class="gap gap--{{ o.gap.level }}">{{ o.gap_label }}</span></td>
        <td>{{ o.evidence_count }}</td>
      </tr>
    {% endfor %}
    </tbody>
  </table>

  {% for o in options %}
  <article class="brief-option" id="option-{{ o.rank }}">
    <h2>{{ o.rank }}. {{ o.title }}</h2>
    <p class="option-meta"><strong>Partner:</strong> {{ o.partner }} &nbsp;·&nbsp; <strong>Stage:</strong> {{ o.stage }}
       &nbsp;·&nbsp; <strong>Score:</strong> {{ "%.2f" | format(o.score) }}
       <span class="muted">(fit {{ o.parts.fit }}, gap {{ o.parts.gap }}, models {{ o.parts.models }})</span></p>
    <dl>
      <dt>Contribution to seek</dt><dd>{{ o.contributions | join(", ") }}</dd>
      <dt>Modalities</dt><dd>{{ o.modalities | join(", ") }}</dd>
      <dt>Tools</dt><dd><ul>{% for t in o.tools %}<li>{{ t }}</li>{% endfor %}</ul></dd>
      <dt>Why</dt><dd>{{ o.why }}<br><span class="muted">Rule: {{ o.fired }}</span></dd>
      {% if o.for_asker %}<dt>For you</dt><dd>{{ o.for_asker }}</dd>{% endif %}
      <dt>Gap it would fill</dt><dd>{{ o.gap.text }}</dd>
      <dt>Evidence</dt>
      <dd>{{ o.evidence_count }} mapped initiative{{ "" if o.evidence_count == 1 else "s" }} in this slice
        {%- if o.evidence_elsewhere %}; {{ o.evidence_elsewhere }} elsewhere{% endif %}.
        {% if o.examples %}<ul class="examples">
        {% for x in o.examples %}<li>{% if x.url %}<a href="{{ x.url }}">{{ x.name }}</a>{% else %}{{ x.name }}{% endif %}
          <span class="muted">({{ x.id }}{% if x.where %}; {{ x.where }}{% endif %}{% if x.scope %}; {{ x.scope }}{% endif %})</span></li>
        {% endfor %}</ul>{% elif o.evidence_count + o.evidence_elsewhere == 0 %}<span class="muted">No model in the map yet: this would be a first.</span>{% else %}<span class="muted">{{ no_close_model }}</span>{% endif %}
      </dd>
      <dt>Risks</dt><dd><ul>{% for r in o.risks %}<li><strong>{{ r.label }}.</strong> {{ r.text }}</li>{% endfor %}</ul></dd>
      <dt>Safeguards</dt><dd><ul>{% for s in o.safeguards %}<li><strong>{{ s.label }}.</strong> {{ s.text }}</li>{% endfor %}
        <li class="muted">and the safeguards for every option, below</li></ul></dd>
      <dt>Sources</dt><dd>{{ o.sources | join("; ") }}</dd>
    </dl>
  </article>
  {% endfor %}

  <section class="brief-universal">
    <h2>Safeguards for every option</h2>
    <ul>{% for s in universal_safeguards %}<li><strong>{{ s.label }}.</strong> {{ s.text }}</li>{% endfor %}</ul>
  </section>

  <section class="brief-watch">
    <h2>Risks to watch</h2>
    {% if watch %}
    <p>Initiatives in this slice that are mapped but are never partners (control contractors, informal actors):</p>
    <ul>{% for w in watch %}<li><strong>{{ w.name }}</strong> <span class="muted">({{ w.id }}; {{ w.actor_type }}; {{ w.stages }})</span>: {{ w.reason }}</li>{% endfor %}</ul>
    {% else %}
    <p>No control contractor or informal actor is mapped in this slice.</p>
    {% endif %}
  </section>

  <footer class="brief-method">
    <h2>Method and references</h2>
    <p>Options come from migmap's knowledge base: [R] marks reasoning from the report, [F] from the field
      (named public frameworks). Score = {{ weights.fit }} × fit with the question + {{ weights.gap }} × size of the gap
      in the map (under-served cells rank higher) + {{ weights.models }} × models to copy. The map holds
      {{ slice_total }} initiative{{ "" if slice_total == 1 else "s" }} in this slice. migmap never proposes control contractors
      or informal actors as partners.</p>
    <ol class="references">{% for r in references %}<li>{{ r }}</li>{% endfor %}</ol>
  </footer>
</section>
"""

CSS = """\
@page { size: A4; margin: 16mm 15mm 18mm 15mm;
  @bottom-right { content: "page " counter(page) " of " counter(pages); font-size: 8pt; color: #666; } }
.migmap-brief { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt; line-height: 1.4; color: #1a1a1a; max-width: 60rem; }
.migmap-brief h1 { font-size: 17pt; margin: 0.2em 0 0.4em; color: #123c69; }
.migmap-brief h2 { font-size: 12.5pt; margin: 1em 0 0.3em; color: #123c69; }
.migmap-brief .brief-kicker { text-transform: uppercase; letter-spacing: 0.06em; font-size: 8pt; color: #555; margin: 0; }
.migmap-brief .muted { color: #5c5c5c; font-size: 0.9em; }
.migmap-brief .brief-evidence--thin { background: #fff4d6; border-left: 4px solid #c98a00; padding: 0.4em 0.6em; }
.migmap-brief table.brief-summary { border-collapse: collapse; width: 100%; margin: 0.8em 0; font-size: 9pt; }
.migmap-brief table.brief-summary th, .migmap-brief table.brief-summary td { border-bottom: 1px solid #ccd; padding: 0.3em 0.4em; text-align: left; vertical-align: top; }
.migmap-brief table.brief-summary th { background: #eef2f7; }
.migmap-brief .brief-option { border-top: 2px solid #123c69; margin-top: 0.8em; }
.migmap-brief h2 { break-after: avoid; page-break-after: avoid; }
.migmap-brief li, .migmap-brief dt { break-inside: avoid; }
.migmap-brief dl { display: grid; grid-template-columns: 9.5em 1fr; gap: 0.15em 0.8em; margin: 0.3em 0; }
.migmap-brief dt { font-weight: bold; color: #333; }
.migmap-brief dd { margin: 0; }
.migmap-brief ul { margin: 0; padding-left: 1.1em; }
.migmap-brief .gap { padding: 0.05em 0.4em; border-radius: 3px; font-size: 0.9em; white-space: nowrap; }
.migmap-brief .gap--empty { background: #b2182b; color: #fff; }
.migmap-brief .gap--thin { background: #ef8a62; color: #000; }
.migmap-brief .gap--moderate { background: #d1e5f0; color: #000; }
.migmap-brief .gap--well_covered { background: #2166ac; color: #fff; }
.migmap-brief .gap--unmapped { background: #ddd; color: #000; }
.migmap-brief a { color: #1f5fa8; }
.migmap-brief .brief-method { font-size: 8.5pt; color: #333; border-top: 1px solid #999; margin-top: 1.2em; }
@media print { .migmap-brief a { color: inherit; text-decoration: none; } }
"""

PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} — migmap brief</title>
<style>{{ css | safe }}
body { margin: 1.5rem; }
@media print { body { margin: 0; } }</style>
</head>
<body>
{{ fragment | safe }}
</body>
</html>
"""
