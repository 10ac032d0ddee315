// 智能分类建议: a click on a suggested category selects it in the intake form's #category
// (and fires "change", so the place/default-unit line below refreshes as for a manual choice).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest(".suggest-pick") : null;
  if (!button) return;
  var select = document.getElementById("category");
  if (!select) return;
  select.value = button.getAttribute("data-category");
  select.dispatchEvent(new Event("change", { bubbles: true }));
  select.focus();
});

// The intake form's panels (suggestions, earlier orders, knowledge base) are redrawn by htmx
// as the content changes. Should a redraw remove the element that held the focus (a link
// reached by Tab), the focus moves on to the next field after the panel instead of falling
// to the page body, where the operator's next keystrokes would go nowhere (issue 10).
(function () {
  var FIELDS = "input:not([type=hidden]), select, textarea, button, a[href]";
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    var active = document.activeElement;
    if (target && active && active !== document.body && target.contains(active)) {
      target.setAttribute("data-held-focus", "1");
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.hasAttribute("data-held-focus")) return;
    target.removeAttribute("data-held-focus");
    if (document.activeElement && document.activeElement !== document.body) return;
    var form = target.closest("form");
    if (!form) return;
    var all = Array.prototype.slice.call(form.querySelectorAll(FIELDS));
    for (var i = 0; i < all.length; i++) {
      var field = all[i];
      if (target.contains(field) || field.tabIndex < 0 || field.disabled) continue;
      if (target.compareDocumentPosition(field) & Node.DOCUMENT_POSITION_FOLLOWING) {
        field.focus();
        return;
      }
    }
  });
})();
