/* regqa help-desk widget: <script src="https://HOST/widget.js" data-api-key="…" defer></script>
   Adds a floating chat box that calls /v1/ask on the host that served this script and shows
   the cited article's text when a citation is clicked. No other network access. */
(function () {
  "use strict";
  var script = document.currentScript;
  var base = new URL(script.src).origin;
  var key = script.getAttribute("data-api-key");
  var title = script.getAttribute("data-title") || "Ask about the ICP Rules";
  var history = [];

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text) node.textContent = text;
    return node;
  }
  function headers() {
    var h = { "Content-Type": "application/json" };
    if (key) h.Authorization = "Bearer " + key;
    return h;
  }

  var style = el("style");
  style.textContent =
    "#regqa-w-btn{position:fixed;right:20px;bottom:20px;z-index:2147483000;border:0;border-radius:24px;" +
    "padding:12px 18px;background:#1d3f91;color:#fff;font:600 14px system-ui,sans-serif;cursor:pointer}" +
    "#regqa-w-box{position:fixed;right:20px;bottom:76px;z-index:2147483000;width:380px;max-height:70vh;" +
    "display:none;flex-direction:column;background:#fff;border:1px solid #ccd;border-radius:10px;" +
    "box-shadow:0 8px 30px rgba(0,0,0,.2);font:14px/1.45 system-ui,sans-serif;color:#222}" +
    "#regqa-w-log{overflow:auto;padding:10px;flex:1}" +
    ".regqa-w-q{font-weight:600;margin:8px 0 4px}.regqa-w-a{white-space:pre-wrap;margin-bottom:6px}" +
    ".regqa-w-abstain{color:#7a5d00}" +
    ".regqa-w-chip{display:inline-block;margin:0 2px;padding:0 6px;border-radius:9px;border:1px solid #b9c9f2;" +
    "background:#e8eefc;color:#1d3f91;font-size:12px;cursor:pointer}" +
    ".regqa-w-unit{background:#fafaf5;border-left:3px solid #c5d4a8;padding:6px 8px;margin:4px 0;font-size:13px;" +
    "white-space:pre-wrap}" +
    "#regqa-w-form{display:flex;border-top:1px solid #eee}#regqa-w-in{flex:1;border:0;padding:10px;font:inherit}" +
    "#regqa-w-send{border:0;background:#1d3f91;color:#fff;padding:0 14px;cursor:pointer}" +
    ".regqa-w-note{font-size:11px;color:#666;padding:4px 10px}";
  document.head.appendChild(style);

  var button = el("button", { id: "regqa-w-btn", type: "button" }, title);
  var box = el("div", { id: "regqa-w-box", role: "dialog", "aria-label": title });
  var log = el("div", { id: "regqa-w-log" });
  var note = el("div", { class: "regqa-w-note" }, "Answers cite the Rules and the 2012 draft Explanation. Not legal advice.");
  var form = el("form", { id: "regqa-w-form" });
  var input = el("input", { id: "regqa-w-in", placeholder: "Your question…", maxlength: "4000" });
  var send = el("button", { id: "regqa-w-send", type: "submit" }, "Ask");
  form.appendChild(input); form.appendChild(send);
  box.appendChild(log); box.appendChild(note); box.appendChild(form);
  document.body.appendChild(button); document.body.appendChild(box);
  button.addEventListener("click", function () {
    box.style.display = box.style.display === "flex" ? "none" : "flex";
    if (box.style.display === "flex") input.focus();
  });

  /* Why a request failed, and what to set. A page origin the server does not allow and a
     server that is down look alike to fetch(); a no-cors probe tells them apart. */
  function explain(status, body) {
    if (status === 401) {
      return "The API key is missing or wrong: set data-api-key on the widget's script tag " +
        "to one of the server's REGQA_API_KEYS.";
    }
    return (body && body.error && body.error.message) || "The assistant answered " + status + ".";
  }
  function unreachable(target) {
    return fetch(base + "/healthz", { mode: "no-cors" }).then(function () {
      target.textContent = "The assistant at " + base + " does not accept requests from this " +
        "page (" + location.origin + "): add this origin to REGQA_CORS_ORIGINS on the server.";
    }, function () {
      target.textContent = "The assistant at " + base + " could not be reached: is regqa serve " +
        "running there?";
    });
  }
  function call(path, options) {
    return fetch(base + path, options).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (body) {
        return { ok: r.ok, status: r.status, body: body };
      });
    });
  }

  /* The cited unit's text under the answer, in the answer's language; a second click on the
     same chip closes it rather than adding it twice. */
  function showUnit(after, id, lang) {
    var open = after.parentNode.querySelector('.regqa-w-unit[data-id="' + CSS.escape(id) + '"]');
    if (open) { open.remove(); return; }
    var node = el("div", { class: "regqa-w-unit", "data-id": id }, "…");
    after.parentNode.insertBefore(node, after.nextSibling);
    call("/v1/units/" + encodeURIComponent(id), { headers: headers() })
      .then(function (res) {
        if (!res.ok) { node.textContent = explain(res.status, res.body); return; }
        var texts = res.body.texts;
        var text = texts[lang] || texts.en || texts[Object.keys(texts)[0]];
        node.setAttribute("lang", text.lang);
        node.textContent = text.text;
      }, function () { return unreachable(node); });
  }

  function render(answer) {
    var node = el("div", { class: "regqa-w-a" + (answer.abstained ? " regqa-w-abstain" : "") });
    var parts = answer.answer.split(/(\[\d+\])/);
    var shown = {};  /* one chip per cited unit, at its first marker */
    parts.forEach(function (part) {
      var m = /^\[(\d+)\]$/.exec(part);
      var cite = m && answer.citations[Number(m[1]) - 1];
      if (cite && shown[cite.id]) return;
      if (cite) {
        shown[cite.id] = true;
        var chip = el("span", { class: "regqa-w-chip", "data-id": cite.id, title: cite.id },
          cite.doc === "rules" ? "Art. " + cite.locator.replace("art-", "") + " (" + cite.version + ")" : "Expl. " + cite.locator);
        chip.addEventListener("click", function () { showUnit(node, cite.id, answer.lang); });
        node.appendChild(chip);
      } else {
        node.appendChild(document.createTextNode(part));
      }
    });
    if (answer.abstained && answer.reason) node.appendChild(el("div", {}, answer.reason));
    return node;
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var question = input.value.trim();
    if (!question) return;
    input.value = "";
    log.appendChild(el("div", { class: "regqa-w-q" }, question));
    var pending = el("div", { class: "regqa-w-a" }, "…");
    log.appendChild(pending);
    call("/v1/ask", { method: "POST", headers: headers(),
      body: JSON.stringify({ question: question, history: history.slice(-6) }) })
      .then(function (res) {
        if (!res.ok) { pending.textContent = explain(res.status, res.body); return; }
        log.replaceChild(render(res.body), pending);
        history.push({ role: "user", content: question }, { role: "assistant", content: res.body.answer });
      }, function () { return unreachable(pending); })
      .finally(function () { log.scrollTop = log.scrollHeight; });
  });
})();
