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
