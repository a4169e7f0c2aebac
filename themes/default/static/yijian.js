/*
 * yijian.js — what the form needs on top of htmx, for people who type slowly, use a screen
 * reader or a keyboard (issue 15). Every page works without it; it only changes how htmx's
 * answers are put into the page.
 *
 * 1. A field being edited is never replaced. An answer's response (hx-target "#w-<key>") is
 *    dropped when the field's value changed since the request (a newer request follows), and
 *    otherwise put in around the control that has focus: its label, hint, message and siblings
 *    are rebuilt, the control itself (value, caret, IME composition) stays.
 * 2. Messages wait for the person: a request sent while typing (keyup) or while still choosing
 *    a region says so (header YJ-Typing), and the server then adds no message to that field.
 * 3. The error summary and the "错误：" title follow the fields' messages.
 * 4. One polite status region says what changed (a message added on leaving a field, the
 *    eligibility banner's title, the number of search results, a file uploaded or deleted);
 *    after an upload or a deletion focus goes to the file line or the upload control.
 *
 * No inline script or eval (CSP script-src 'self'); plain ES2017, no build step.
 */
(function () {
  "use strict";

  var sent = new WeakMap(); // xhr -> the field's values when the request left
  var before = new WeakMap(); // xhr -> what the page said before the response
  var CONTROLS = "input:not([type=hidden]), select, textarea";

  function isAnswer(detail) {
    var path = (detail.requestConfig && detail.requestConfig.path) || "";
    return path.indexOf("/change?") >= 0 && path.indexOf("action=") < 0;
  }

  function fieldOf(detail) {
    var t = detail.target;
    return t && t.id && t.id.indexOf("w-") === 0 ? t : null;
  }

  /* ------------------------------------------------------------ values */

  function values(wrap) {
    var out = [];
    wrap.querySelectorAll(CONTROLS).forEach(function (c) {
      if (c.type === "file") return;
      if (c.type === "radio" || c.type === "checkbox") out.push(c.name + "=" + (c.checked ? c.value : ""));
      else out.push(c.name + "=" + c.value);
    });
    return out.join("\u0000");
  }

  function errorText(wrap) {
    return messageText(wrap && wrap.querySelector(".yj-error-message"));
  }

  function spoken(node) {
    var copy = node.cloneNode(true);
    copy.querySelectorAll("[aria-hidden=true]").forEach(function (h) { h.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function messageText(p) {
    if (!p) return "";
    var copy = p.cloneNode(true);
    copy.querySelectorAll(".yj-visually-hidden").forEach(function (h) { h.remove(); });
    return copy.textContent.trim();
  }

  /* ------------------------------------------------------------ status region */

  var status = null;
  var pending = null;

  function announce(text) {
    if (!text) return;
    if (!status) {
      status = document.createElement("div");
      status.id = "yj-status";
      status.className = "yj-visually-hidden";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      document.body.appendChild(status);
    }
    // cleared first and written a moment later, so the same words twice are read twice
    status.textContent = "";
    clearTimeout(pending);
    pending = setTimeout(function () { status.textContent = text; }, 100);
  }

  function bannerTitle() {
    var box = document.getElementById("eligibility");
    var title = box && box.querySelector(".yj-banner__title");
    return title ? spoken(title) : "";
  }

  /* ------------------------------------------------------------ keep the control */

  function chain(node, top) {
    var out = [];
    while (node && node !== top) {
      out.push(node);
      node = node.parentNode;
    }
    return node === top ? out : null;
  }

  function copyAttributes(live, fresh, control) {
    var keep = control ? { value: 1, checked: 1 } : {};
    Array.prototype.slice.call(live.attributes).forEach(function (a) {
      if (!fresh.hasAttribute(a.name) && !keep[a.name]) live.removeAttribute(a.name);
    });
    Array.prototype.slice.call(fresh.attributes).forEach(function (a) {
      if (!keep[a.name] && live.getAttribute(a.name) !== a.value) live.setAttribute(a.name, a.value);
    });
  }

  /* Put `fresh` (the new field) in place of `wrap` while the focused control stays where it is:
     at every level from the control up to the wrapper, its siblings are replaced by the new
     ones and the attributes copied. False when the two do not line up (then htmx swaps). */
  function keepAround(wrap, fresh, control) {
    var twin = control.id ? fresh.querySelector("#" + CSS.escape(control.id)) : null;
    if (!twin) return false;
    var liveChain = chain(control, wrap);
    var freshChain = chain(twin, fresh);
    if (!liveChain || !freshChain || liveChain.length !== freshChain.length) return false;
    for (var i = 0; i < liveChain.length; i++) {
      if (liveChain[i].tagName !== freshChain[i].tagName) return false;
    }
    liveChain.push(wrap);
    freshChain.push(fresh);
    copyAttributes(control, twin, true);
    for (var level = 0; level < liveChain.length - 1; level++) {
      var o = liveChain[level];
      var n = freshChain[level];
      var parent = o.parentNode;
      Array.prototype.slice.call(parent.childNodes).forEach(function (c) {
        if (c !== o) parent.removeChild(c);
      });
      var afterTwin = false;
      Array.prototype.slice.call(n.parentNode.childNodes).forEach(function (c) {
        if (c === n) { afterTwin = true; return; }
        if (afterTwin) parent.appendChild(c);
        else parent.insertBefore(c, o);
      });
      copyAttributes(parent, n.parentNode, false);
    }
    return true;
  }

  function splitResponse(html, id) {
    var tpl = document.createElement("template");
    tpl.innerHTML = html;
    var fresh = tpl.content.getElementById(id);
    if (!fresh || fresh.hasAttribute("hx-swap-oob")) return null;
    fresh.remove();
    return { fresh: fresh, rest: tpl.innerHTML };
  }

  /* ------------------------------------------------------------ error summary and title */

  function syncSummary() {
    var summary = document.querySelector(".yj-error-summary");
    var form = document.querySelector("main form");
    if (!summary || !form) return;
    var list = summary.querySelector(".yj-error-summary__list");
    var items = [];
    var others = []; // a message about no field of this form (kept as the server listed it)
    list.querySelectorAll("a").forEach(function (a) {
      var href = a.getAttribute("href") || "";
      var to = href.charAt(0) === "#" && href.length > 1 ? document.getElementById(href.slice(1)) : null;
      if (!to || !form.contains(to) || !to.closest(".yj-field")) {
        others.push({ href: href, text: a.textContent });
      }
    });
    form.querySelectorAll(".yj-error-message").forEach(function (p) {
      var wrap = p.closest(".yj-field") || p.parentNode;
      var first = wrap.querySelector(CONTROLS) || wrap.querySelector("[id]");
      var text = messageText(p);
      if (first && first.id && text) items.push({ href: "#" + first.id, text: text });
    });
    items = items.concat(others);
    var now = Array.prototype.map.call(list.querySelectorAll("a"), function (a) {
      return a.getAttribute("href") + "\u0000" + a.textContent;
    }).join("\u0001");
    var next = items.map(function (it) { return it.href + "\u0000" + it.text; }).join("\u0001");
    if (now === next) return;
    // its role=alert was read when the page came; from now on the status region speaks
    summary.setAttribute("role", "group");
    if (!items.length) {
      summary.remove();
      document.title = document.title.replace(/^错误：/, "");
      return;
    }
    list.textContent = "";
    items.forEach(function (it) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = it.href;
      a.textContent = it.text;
      li.appendChild(a);
      list.appendChild(li);
    });
    if (document.title.indexOf("错误：") !== 0) document.title = "错误：" + document.title;
  }

  /* ------------------------------------------------------------ uploads */

  /* The block of one material was swapped: its control is gone, so focus would fall to <body>.
     Uploaded: focus the "已上传" line and say it; deleted: the upload control; refused: the
     upload control too (the summary that came with it is an alert and says why). */
  function afterUpload(target, hadFile) {
    var active = document.activeElement;
    if (active && active !== document.body && target.contains(active)) return;
    var done = target.querySelector(".yj-file__done");
    if (done) {
      done.setAttribute("tabindex", "-1");
      done.focus();
      if (!hadFile) announce(done.textContent.trim());
      return;
    }
    var input = target.querySelector("input[type=file]");
    if (input) input.focus();
    if (hadFile && !errorText(target)) announce("文件已删除，可以重新上传");
  }

  /* A field of several boxes (a region's levels, a date's 年 月 日) with one still empty: the
     person is still on it, so a change of one box is not yet the answer to check. */
  function unfinished(wrap) {
    if (wrap.classList.contains("yj-field--region")) return true; // the next level comes next
    var parts = wrap.querySelectorAll(
      "input:not([type=hidden]):not([type=radio]):not([type=checkbox]):not([type=file]), select");
    if (parts.length < 2) return false;
    return Array.prototype.some.call(parts, function (p) { return !p.value; });
  }

  /* ------------------------------------------------------------ htmx events */

  document.addEventListener("htmx:configRequest", function (e) {
    var d = e.detail;
    var wrap = d.target && d.target.id && d.target.id.indexOf("w-") === 0 ? d.target : null;
    var ev = d.triggeringEvent;
    if (!wrap || !ev || errorText(wrap)) return;
    if (ev.type === "keyup" || ev.type === "input" || unfinished(wrap)) d.headers["YJ-Typing"] = "1";
  });

  document.addEventListener("htmx:beforeRequest", function (e) {
    var d = e.detail;
    var wrap = fieldOf(d);
    if (wrap && isAnswer(d)) sent.set(d.xhr, values(wrap));
    before.set(d.xhr, {
      banner: bannerTitle(),
      error: wrap ? errorText(wrap) : "",
      file: d.target && d.target.querySelector ? !!d.target.querySelector(".yj-file__done") : false,
    });
  });

  document.addEventListener("htmx:beforeSwap", function (e) {
    var d = e.detail;
    var wrap = fieldOf(d);
    if (!wrap || !isAnswer(d) || !d.shouldSwap) return;
    if (sent.has(d.xhr) && sent.get(d.xhr) !== values(wrap)) {
      d.shouldSwap = false; // typed on since: the request for the newer value answers instead
      return;
    }
    var control = document.activeElement;
    if (!control || !wrap.contains(control) || !control.matches(CONTROLS)) return;
    var parts = splitResponse(d.serverResponse, wrap.id);
    if (!parts || !keepAround(wrap, parts.fresh, control)) return;
    htmx.process(wrap);
    d.serverResponse = parts.rest; // the out-of-band fragments: banner, materials, steps
    d.swapOverride = "none";
  });

  document.addEventListener("htmx:afterRequest", function (e) {
    var d = e.detail;
    var was = before.get(d.xhr);
    if (!was || !d.successful && d.xhr.status !== 503) return;
    // after htmx has settled the swap (its settle delay is 20 ms)
    setTimeout(function () { afterSwap(d, was); }, 40);
  });

  function afterSwap(d, was) {
    syncSummary();
    var id = d.target && d.target.id;
    var target = id ? document.getElementById(id) : null;
    var said = [];
    if (target && id.indexOf("w-") === 0 && isAnswer(d)) {
      var err = errorText(target);
      if (err && err !== was.error) said.push("错误：" + err);
    }
    if (target && target.classList.contains("yj-material-upload")) {
      afterUpload(target, was.file);
      return;
    }
    var title = bannerTitle();
    if (title !== was.banner) said.push(title || "申请条件提示已消除");
    if (id === "results") {
      var heading = target && target.querySelector("h2, h3");
      if (heading) said.push(heading.textContent.trim());
    }
    if (said.length) announce(said.join("。"));
  }
})();
