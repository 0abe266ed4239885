/* 文稿助手 — small vanilla script for the workflow pages (no libraries, no CDN).
 * Every page works without it; the script adds: confirmations, the version picker, side-panel tabs,
 * layer toggles, selecting text to annotate, the editor's local backup and character count,
 * an upload size check, and the hook for the live similar-material panel (Drafter.similarPanel). */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  function csrfToken() {
    var meta = $('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  /* POST JSON with the CSRF header; resolves to the parsed answer. */
  function postJSON(url, payload) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(payload)
    }).then(function (r) {
      if (!r.ok) { throw new Error("HTTP " + r.status); }
      return r.json();
    });
  }

  function debounce(fn, ms) {
    var timer = null;
    return function () {
      var args = arguments, self = this;
      clearTimeout(timer);
      timer = setTimeout(function () { fn.apply(self, args); }, ms);
    };
  }

  /* ---- confirmations: <form data-confirm="…"> */
  $$("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });

  /* ---- version picker */
  $$("form.version-pick").forEach(function (form) {
    var select = $("select", form);
    select.addEventListener("change", function () {
      window.location.href = form.getAttribute("data-version-url").replace(/\/0$/, "/" + select.value);
    });
  });

  /* ---- side panel tabs */
  var tabs = $$(".side-tab");
  function showPanel(id) {
    tabs.forEach(function (tab) {
      var on = tab.getAttribute("data-panel") === id;
      tab.classList.toggle("active", on);
      var panel = document.getElementById(tab.getAttribute("data-panel"));
      if (panel) { panel.hidden = !on; }
    });
  }
  if (tabs.length) {
    tabs.forEach(function (tab) {
      tab.addEventListener("click", function () { showPanel(tab.getAttribute("data-panel")); });
    });
    var hash = window.location.hash;
    showPanel(hash.indexOf("#f-") === 0 ? "panel-checks" : "panel-notes");
  }

  function flash(el) {
    if (!el) { return; }
    el.classList.remove("flash-target");
    void el.offsetWidth;
    el.classList.add("flash-target");
  }

  /* ---- layer toggles on the text */
  var paper = document.getElementById("paper");
  $$(".layer-toggle .toggle").forEach(function (button) {
    button.addEventListener("click", function () {
      var on = !button.classList.contains("on");
      button.classList.toggle("on", on);
      if (paper) { paper.classList.toggle("show-" + button.getAttribute("data-layer"), on); }
    });
  });

  /* ---- clicking marked text opens the matching annotation or finding */
  if (paper) {
    paper.addEventListener("click", function (event) {
      if (!window.getSelection().isCollapsed) { return; }
      var mark = event.target.closest("[data-annotation],[data-finding]");
      if (!mark) { return; }
      var target = null;
      if (mark.hasAttribute("data-annotation") && paper.classList.contains("show-annotations")) {
        showPanel("panel-notes");
        target = document.getElementById("note-" + mark.getAttribute("data-annotation").split(" ")[0]);
      } else if (mark.hasAttribute("data-finding")) {
        showPanel("panel-checks");
        target = $('.finding[data-finding="' + mark.getAttribute("data-finding").split(" ")[0] + '"]');
      }
      if (target) { target.scrollIntoView({ block: "center", behavior: "smooth" }); flash(target); }
    });
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a.finding, a.quote");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    setTimeout(function () { flash(target); }, 50);
  });

  /* ---- the analysis of a version arrives after the page (the checks may take a moment) */
  function setCount(id, value, red) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.textContent = String(value);
    if (red !== undefined) { el.classList.toggle("count-red", !!red); }
  }
  var analysisUrl = paper && paper.getAttribute("data-analysis-url");
  if (analysisUrl) {
    paper.setAttribute("aria-busy", "true");
    fetch(analysisUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) {
        return r.json().catch(function () { return {}; }).then(function (answer) {
          if (!r.ok) { throw new Error(answer.error || ""); }
          return answer;
        });
      })
      .then(function (answer) {
        var selection = window.getSelection();
        /* keep a selection the reader is making; the marks arrive with the next page */
        if (selection.isCollapsed || !paper.contains(selection.anchorNode)) { paper.innerHTML = answer.paper; }
        document.getElementById("panel-checks").innerHTML = answer.checks;
        document.getElementById("panel-similar").innerHTML = answer.similar;
        var card = document.getElementById("progress-card");
        if (card) { card.outerHTML = answer.progress; }
        setCount("count-checks", answer.counts.findings, answer.counts.errors > 0);
        setCount("count-similar", answer.counts.similar);
        var reuse = document.getElementById("toggle-reuse");
        if (reuse) { reuse.hidden = !answer.counts.reuse; }
        paper.removeAttribute("data-analysis-url");
        paper.setAttribute("aria-busy", "false");
        paper.classList.add("analysed");
        var hash = window.location.hash;
        if (hash.length > 1) {
          var target = document.getElementById(hash.slice(1));
          if (target) { target.scrollIntoView({ block: "center" }); flash(target); }
        }
      })
      .catch(function (error) {
        paper.setAttribute("aria-busy", "false");
        var box = $("#panel-checks .checks-pending");
        if (box) {
          box.textContent = "";
          var p = document.createElement("p");
          p.className = "warn-text";
          p.textContent = (error && error.message) || "检查暂时没有完成（服务器繁忙或网络中断）。";
          var retry = document.createElement("a");
          retry.className = "btn btn-small";
          retry.href = window.location.pathname + "?checks=now";
          retry.textContent = "重新检查";
          box.appendChild(p);
          box.appendChild(retry);
        }
      });
  }

  /* ---- select text to annotate */
  var noteForm = document.getElementById("note-form");
  if (paper && noteForm && paper.hasAttribute("data-annotatable")) {
    var quote = noteForm.elements.quote;
    var floater = document.createElement("button");
    floater.type = "button";
    floater.className = "note-floater";
    floater.textContent = "＋ 批注";
    floater.hidden = true;
    document.body.appendChild(floater);
    var picked = null;

    var offsetOf = function (node, offset) {
      var para = (node.nodeType === 1 ? node : node.parentNode).closest("p.para");
      if (!para || !paper.contains(para)) { return null; }
      var range = document.createRange();
      range.setStart(para, 0);
      range.setEnd(node, offset);
      return parseInt(para.getAttribute("data-start"), 10) + range.toString().length;
    };

    document.addEventListener("mouseup", function (event) {
      if (event.target === floater) { return; }
      var sel = window.getSelection();
      floater.hidden = true;
      picked = null;
      if (sel.isCollapsed || !sel.rangeCount) { return; }
      var range = sel.getRangeAt(0);
      if (!paper.contains(range.startContainer) || !paper.contains(range.endContainer)) { return; }
      var start = offsetOf(range.startContainer, range.startOffset);
      var end = offsetOf(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) { return; }
      picked = { start: start, end: end, text: sel.toString() };
      var rect = range.getBoundingClientRect();
      floater.style.top = (window.scrollY + rect.top - 38) + "px";
      floater.style.left = (window.scrollX + rect.left + rect.width / 2 - 36) + "px";
      floater.hidden = false;
    });

    floater.addEventListener("click", function () {
      if (!picked) { return; }
      noteForm.elements.start.value = picked.start;
      noteForm.elements.end.value = picked.end;
      quote.value = picked.text;
      quote.readOnly = true;
      quote.name = "";  /* the offsets identify the text; the quote is shown only */
      floater.hidden = true;
      var box = document.getElementById("note-form-box");
      if (box) { box.open = true; }
      showPanel("panel-notes");
      noteForm.scrollIntoView({ block: "nearest", behavior: "smooth" });
      noteForm.elements.comment.focus();
      flash(noteForm);
    });

    noteForm.addEventListener("reset", function () {
      noteForm.elements.start.value = "";
      noteForm.elements.end.value = "";
      quote.readOnly = false;
      quote.name = "quote";
    });
  }

  /* ---- the editor: character count, local backup, leaving with unsaved text */
  var editorForm = document.getElementById("editor-form");
  if (editorForm) {
    var editor = document.getElementById("editor");
    var counter = document.getElementById("char-count");
    var key = "drafter:draft:" + editorForm.getAttribute("data-draft");
    var initial = editor.value;
    var submitting = false;
    var count = function () {
      var n = editor.value.replace(/\s/g, "").length;
      if (counter) { counter.textContent = "共 " + n + " 字"; }
    };
    var backup = debounce(function () {
      try {
        window.localStorage.setItem(key, JSON.stringify({ text: editor.value, at: new Date().toISOString() }));
      } catch (e) { /* storage full or disabled: the server copy is what counts */ }
    }, 400);
    editor.addEventListener("input", function () { count(); backup(); });
    count();
    editorForm.addEventListener("submit", function () { submitting = true; });
    window.addEventListener("beforeunload", function (event) {
      if (!submitting && editor.value !== initial) { event.preventDefault(); event.returnValue = ""; }
    });
    var saved = null;
    try { saved = JSON.parse(window.localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    var bar = document.getElementById("restore-bar");
    if (saved && saved.text && saved.text.trim() && saved.text !== editor.value && bar) {
      $(".restore-time", bar).textContent = new Date(saved.at).toLocaleString("zh-CN");
      bar.hidden = false;
      $("#restore-yes").addEventListener("click", function () {
        editor.value = saved.text; count(); bar.hidden = true;
      });
      $("#restore-no").addEventListener("click", function () {
        window.localStorage.removeItem(key); bar.hidden = true;
      });
    }
  }
  /* After a successful save (…?saved=N) the local backup is no longer needed. */
  if (/[?&]saved=\d+/.test(window.location.search)) {
    var match = window.location.pathname.match(/\/drafts\/(\d+)\//);
    if (match) { try { window.localStorage.removeItem("drafter:draft:" + match[1]); } catch (e) { /* ignore */ } }
  }

  /* ---- uploads: refuse files over the limit before sending them */
  $$("#upload-form").forEach(function (form) {
    var input = form.elements.file;
    var message = $(".upload-error", form);
    var limit = parseFloat(form.getAttribute("data-limit-mb")) * 1024 * 1024;
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      var problem = "";
      if (file && file.size > limit) {
        problem = "文件过大（" + (file.size / 1048576).toFixed(1) + " MB），超过 " + form.getAttribute("data-limit-mb") + " MB 的上限。";
      } else if (file && !/\.(docx|txt|md)$/i.test(file.name)) {
        problem = "只支持 .docx、.txt 和 .md 文件" + (/\.doc$/i.test(file.name) ? "；旧版 .doc 请先另存为 .docx。" : "。");
      }
      message.textContent = problem;
      message.hidden = !problem;
      $("button[type=submit]", form).disabled = !!problem;
    });
  });

  /* ---- live similar material beside the editor (endpoint provided by the similar-material module) */
  function renderSimilar(container, items) {
    container.textContent = "";
    if (!items || !items.length) {
      var none = document.createElement("p");
      none.className = "muted small";
      none.textContent = "没有找到相近的材料。";
      container.appendChild(none);
      return;
    }
    items.forEach(function (item) {
      var box = document.createElement("div");
      box.className = "similar-item";
      var title = document.createElement(item.url ? "a" : "div");
      title.className = "similar-title";
      if (item.url) { title.href = item.url; title.target = "_blank"; title.rel = "noopener"; }
      title.textContent = item.title || "（无标题）";
      box.appendChild(title);
      if (typeof item.score === "number") {
        var score = document.createElement("span");
        score.className = "badge";
        score.textContent = Math.round(item.score * 100) + "%";
        box.appendChild(score);
      }
      if (item.paragraph) {
        var text = document.createElement("div");
        text.className = "similar-text";
        text.textContent = item.paragraph.length > 160 ? item.paragraph.slice(0, 159) + "…" : item.paragraph;
        box.appendChild(text);
      }
      container.appendChild(box);
    });
  }

  function similarPanel(panel, textarea) {
    var endpoint = panel.getAttribute("data-endpoint");
    if (!endpoint || !textarea) { return; }
    panel.hidden = false;
    var results = $(".similar-results", panel);
    var last = "";
    var lookup = debounce(function () {
      var pos = textarea.selectionStart || 0;
      var text = textarea.value;
      var from = text.lastIndexOf("\n", pos - 1) + 1;
      var to = text.indexOf("\n", pos);
      var paragraph = text.slice(from, to === -1 ? text.length : to).trim();
      if (paragraph.length < 8 || paragraph === last) { return; }
      last = paragraph;
      postJSON(endpoint, { text: paragraph, draft_id: parseInt(panel.getAttribute("data-draft"), 10) })
        .then(function (answer) { renderSimilar(results, answer.items || []); })
        .catch(function () { results.textContent = "相似材料暂时无法获取。"; });
    }, 800);
    textarea.addEventListener("keyup", lookup);
    textarea.addEventListener("click", lookup);
  }

  var similar = document.getElementById("similar-live");
  if (similar) { similarPanel(similar, document.getElementById("editor")); }

  window.Drafter = { csrfToken: csrfToken, postJSON: postJSON, renderSimilar: renderSimilar, similarPanel: similarPanel };
})();
