/* Repeatable record groups of a `list` field (templates/_list_field.html): 添加 clones the
   field's <template> with the next free index in place of __INDEX__, 删除 removes a record.
   Indexes may have gaps; the server orders records by index. Without this script the
   records already on the page still submit and show their errors. No dependencies. */
(function () {
  "use strict";
  if (window.fazhiListField) { return; }
  window.fazhiListField = true;

  function records(field) {
    return Array.prototype.slice.call(field.querySelectorAll("[data-records] > [data-record]"));
  }

  function refresh(field) {
    var all = records(field);
    all.forEach(function (record, i) {
      var number = record.querySelector("[data-record-number]");
      if (number) { number.textContent = String(i + 1); }
    });
    var max = parseInt(field.getAttribute("data-max-items") || "0", 10);
    var add = field.querySelector("[data-add-record]");
    if (add) { add.disabled = max > 0 && all.length >= max; }
  }

  function reveal(scope) {
    Array.prototype.forEach.call(
      scope.querySelectorAll("[data-add-record], [data-remove-record]"),
      function (button) { button.hidden = false; }
    );
  }

  function addRecord(field) {
    var template = field.querySelector("template[data-record-template]");
    if (!template) { return; }
    var index = parseInt(field.getAttribute("data-next-index") || "0", 10);
    field.setAttribute("data-next-index", String(index + 1));
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.split("__INDEX__").join(String(index));
    var record = holder.querySelector("[data-record]");
    reveal(record);
    field.querySelector("[data-records]").appendChild(record);
    refresh(field);
    var first = record.querySelector("input, select, textarea");
    if (first) { first.focus(); }
  }

  function removeRecord(field, record) {
    record.parentNode.removeChild(record);
    refresh(field);
    var add = field.querySelector("[data-add-record]");
    if (add) { add.focus(); }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-add-record], [data-remove-record]");
    if (!button) { return; }
    var field = button.closest("[data-list-field]");
    if (!field) { return; }
    event.preventDefault();
    if (button.hasAttribute("data-add-record")) {
      addRecord(field);
    } else {
      removeRecord(field, button.closest("[data-record]"));
    }
  });

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-list-field]"), function (field) {
      reveal(field);
      refresh(field);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
