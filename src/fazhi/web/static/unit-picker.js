/* Unit picker: a search box in front of every <select data-unit-picker> (one unit, or a
   multiple select of several), finding units of the tree by name, short name, code or the
   initials of their pinyin (城管局 by "cgj") through GET /units/search, and offering those the
   select holds. Arrow keys move, Enter or a click picks: the select takes the value (a
   multiple select adds it) and fires "change", so forms and htmx see an ordinary choice.
   Without this script the select is a plain select and the form works the same.
   data-unit-kinds="department,street" narrows the search to those kinds of unit. */
(function () {
  "use strict";
  if (window.fazhiUnitPicker) { return; }
  window.fazhiUnitPicker = true;
  var SHOWN = 12;
  var seq = 0;

  function labelText(select) {
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    return label ? label.textContent.replace(/\*/g, "").trim() : "单位";
  }

  function optionsByCode(select) {
    var found = {};
    Array.prototype.forEach.call(select.options, function (opt) {
      if (opt.value) { found[opt.value] = opt; }
    });
    return found;
  }

  function enhance(select) {
    if (select.getAttribute("data-unit-picker-ready")) { return; }
    select.setAttribute("data-unit-picker-ready", "1");
    var base = select.id || ("unit-" + Math.random().toString(36).slice(2));
    var box = document.createElement("input");
    box.type = "search";
    box.id = base + "-picker";
    box.className = "unit-picker-input";
    box.autocomplete = "off";
    box.placeholder = "输入名称或拼音首字母查找，如：城管局 / cgj";
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-label", "查找" + labelText(select) + "（名称或拼音首字母）");
    var list = document.createElement("ul");
    list.id = base + "-options";
    list.className = "unit-picker-options";
    list.setAttribute("role", "listbox");
    list.hidden = true;
    box.setAttribute("aria-controls", list.id);
    var status = document.createElement("p");
    status.className = "muted small unit-picker-status";
    status.id = base + "-picker-status";
    status.setAttribute("aria-live", "polite");
    var wrap = document.createElement("div");
    wrap.className = "unit-picker";
    wrap.appendChild(box);
    wrap.appendChild(list);
    wrap.appendChild(status);
    select.parentNode.insertBefore(wrap, select);
    var timer = null;
    var active = -1;

    function items() { return Array.prototype.slice.call(list.querySelectorAll("li")); }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      var all = items();
      if (!all.length) { return; }
      active = (index + all.length) % all.length;
      all.forEach(function (li, i) { li.setAttribute("aria-selected", i === active ? "true" : "false"); });
      box.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function pick(li) {
      var opt = optionsByCode(select)[li.getAttribute("data-code")];
      if (!opt) { return; }
      if (select.multiple) { opt.selected = true; } else { select.value = opt.value; }
      select.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = (select.multiple ? "已添加：" : "已选：") + opt.textContent;
      box.value = "";
      close();
      box.focus();
    }

    function show(units) {
      var held = optionsByCode(select);
      var offered = units.filter(function (u) { return held[u.code]; }).slice(0, SHOWN);
      list.innerHTML = "";
      offered.forEach(function (u, i) {
        var li = document.createElement("li");
        li.id = base + "-option-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("data-code", u.code);
        li.setAttribute("aria-selected", "false");
        li.textContent = u.name;
        var extra = [u.short_name, u.where].filter(Boolean).join(" · ");
        if (extra) {
          var small = document.createElement("span");
          small.className = "muted small";
          small.textContent = " " + extra;
          li.appendChild(small);
        }
        li.addEventListener("mousedown", function (event) { event.preventDefault(); pick(li); });
        list.appendChild(li);
      });
      list.hidden = !offered.length;
      box.setAttribute("aria-expanded", offered.length ? "true" : "false");
      status.textContent = offered.length ? "匹配 " + offered.length + " 个单位，↑↓ 选择，回车确定" : "没有匹配的单位";
      if (offered.length) { highlight(0); }
    }

    // Offline from the search (an old page, a dropped connection): match the names shown.
    function localMatches(q) {
      var words = q.toLowerCase().split(/\s+/).filter(Boolean);
      return Array.prototype.filter.call(select.options, function (opt) {
        var text = (opt.textContent + " " + opt.value).toLowerCase();
        return opt.value && words.every(function (w) { return text.indexOf(w) >= 0; });
      }).map(function (opt) { return { code: opt.value, name: opt.textContent }; });
    }

    function search() {
      var q = box.value.trim();
      if (!q) { close(); status.textContent = ""; return; }
      var mine = ++seq;
      var url = "/units/search?limit=50&q=" + encodeURIComponent(q);
      var kinds = select.getAttribute("data-unit-kinds");
      if (kinds) { url += "&kinds=" + encodeURIComponent(kinds); }
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) { throw new Error(String(r.status)); } return r.json(); })
        .then(function (body) { if (mine === seq) { show(body.units || []); } })
        .catch(function () { if (mine === seq) { show(localMatches(q)); } });
    }

    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 120);
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); if (list.hidden) { search(); } else { highlight(active + 1); } }
      else if (event.key === "ArrowUp") { event.preventDefault(); highlight(active - 1); }
      else if (event.key === "Escape") { close(); }
      else if (event.key === "Enter" && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();  // Enter picks; it never submits the form from the search box
        var all = items();
        if (all.length) { pick(all[Math.max(0, active)]); }
      }
    });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
  }

  function enhanceAll(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("select[data-unit-picker]"), enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { enhanceAll(document); });
  } else {
    enhanceAll(document);
  }
  // Forms drawn later by htmx get their pickers too.
  document.addEventListener("htmx:load", function (event) { enhanceAll(event.target); });
})();
