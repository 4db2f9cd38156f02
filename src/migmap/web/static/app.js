// migmap: small progressive enhancements. Every page works without JavaScript.
(function () {
  "use strict";

  // Filter forms marked data-autosubmit apply as soon as a choice changes (the URL keeps the state).
  function autosubmit(root) {
    root.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
      if (form.dataset.bound) return;
      form.dataset.bound = "1";
      form.addEventListener("change", function (ev) {
        var t = ev.target;
        if (t && (t.type === "checkbox" || t.tagName === "SELECT")) {
          form.requestSubmit ? form.requestSubmit() : form.submit();
        }
      });
    });
  }

  // htmx requests made with the session carry the CSRF token of the page.
  document.addEventListener("htmx:configRequest", function (ev) {
    var token = document.body.getAttribute("data-csrf");
    if (token) ev.detail.headers["X-CSRF-Token"] = token;
  });

  // After a gap-map cell is chosen with htmx, mark it as selected and move focus to its list.
  document.addEventListener("htmx:afterSwap", function (ev) {
    if (ev.detail.target && ev.detail.target.id === "cell-list") {
      var link = ev.detail.requestConfig && ev.detail.requestConfig.elt;
      document.querySelectorAll("table.gapmap td.selected").forEach(function (td) { td.classList.remove("selected"); });
      if (link && link.parentElement) link.parentElement.classList.add("selected");
      var heading = ev.detail.target.querySelector("h2");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
    }
  });

  // Live charts: <div class="chart" data-spec-url="/api/..."> embeds a Vega-Lite spec with vega-embed
  // using the expression interpreter, so the content security policy needs no 'unsafe-eval'.
  function charts(root) {
    if (!window.vegaEmbed) return;
    root.querySelectorAll("div.chart[data-spec-url]").forEach(function (el) {
      if (el.dataset.bound) return;
      el.dataset.bound = "1";
      fetch(el.dataset.specUrl, { credentials: "same-origin" })
        .then(function (r) { return r.json(); })
        .then(function (spec) {
          var opts = { actions: false, renderer: "svg", defaultStyle: false, tooltip: false };
          if (window.vegaInterpreter) { opts.ast = true; opts.expr = window.vegaInterpreter.expressionInterpreter; }
          return window.vegaEmbed(el, spec, opts);
        })
        .catch(function () { el.classList.add("chart-failed"); });
    });
  }

  function init(root) { autosubmit(root); charts(root); }
  document.addEventListener("DOMContentLoaded", function () { init(document); });
  document.addEventListener("htmx:load", function (ev) { init(ev.detail.elt || document); });
})();
