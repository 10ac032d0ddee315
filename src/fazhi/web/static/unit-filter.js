/* Searchable unit chooser: <input data-unit-filter="SELECT-ID"> hides the options of that
   select (and empty groups) whose name, short name (data-alias) or code does not contain
   every word typed; Enter picks the first match. No dependencies; the select works as a plain select without it. */
(function () {
  "use strict";
  if (window.fazhiUnitFilter) { return; }
  window.fazhiUnitFilter = true;

  function options(select) {
    return Array.prototype.slice.call(select.querySelectorAll("option"));
  }

  function wordsOf(box) {
    return box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  }

  function matches(opt, words) {
    var alias = opt.getAttribute("data-alias") || "";
    var text = (opt.textContent + " " + alias + " " + opt.value).toLowerCase();
    return Boolean(opt.value) && words.every(function (w) { return text.indexOf(w) >= 0; });
  }

  function apply(box) {
    var select = document.getElementById(box.getAttribute("data-unit-filter"));
    if (!select) { return; }
    var words = wordsOf(box);
    var shown = 0;
    options(select).forEach(function (opt) {
      if (!opt.value) { return; }
      var hit = matches(opt, words);
      opt.hidden = !(hit || opt.selected);
      if (hit) { shown += 1; }
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
    var count = document.getElementById(box.getAttribute("data-unit-count"));
    if (count) { count.textContent = words.length ? "匹配 " + shown + " 个单位" : ""; }
  }

  function firstMatch(select, words) {
    return options(select).filter(function (opt) { return matches(opt, words); })[0];
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box.matches && box.matches("[data-unit-filter]")) { apply(box); }
  });
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || !(box.matches && box.matches("[data-unit-filter]"))) { return; }
    event.preventDefault();  // do not submit the form from the search box
    var select = document.getElementById(box.getAttribute("data-unit-filter"));
    var words = wordsOf(box);
    if (!select || !words.length) { return; }
    var opt = firstMatch(select, words);
    if (opt) {
      select.value = opt.value;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      select.focus();
    }
  });
})();
