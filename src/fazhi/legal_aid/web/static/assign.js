// The legal-aid assignment form: choosing a lawyer of the register fills in their name and
// firm, which the server checks against the register. Without this script they are typed.
(function () {
  "use strict";
  function bind(form) {
    var pick = form.querySelector("select[data-lawyer-pick]");
    if (!pick || pick.dataset.bound) return;
    pick.dataset.bound = "1";
    var name = form.querySelector('[name="lawyer_name"]');
    var firm = form.querySelector('[name="law_firm"]');
    pick.addEventListener("change", function () {
      var chosen = pick.selectedOptions[0];
      if (!chosen || !chosen.value) return;
      if (name) name.value = chosen.dataset.name || "";
      if (firm) firm.value = chosen.dataset.firm || "";
    });
  }
  function all() {
    document.querySelectorAll("form").forEach(bind);
  }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
})();
