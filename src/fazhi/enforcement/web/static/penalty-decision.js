// The penalty decision form: once an item of the register is chosen, the circumstance list
// shows only that item's circumstances (each with its fine range). Without this script the
// form still works: every item's circumstances are listed, grouped by item, and the server
// refuses a circumstance that is not the chosen item's.
(function () {
  "use strict";
  function bind(form) {
    var item = form.querySelector("select[data-penalty-item]");
    var circumstance = form.querySelector("select[data-circumstance]");
    if (!item || !circumstance || item.dataset.bound) return;
    item.dataset.bound = "1";
    function narrow() {
      var groups = circumstance.querySelectorAll("optgroup[data-item]");
      groups.forEach(function (group) {
        var mine = !item.value || group.dataset.item === item.value;
        group.hidden = !mine;
        group.disabled = !mine;
      });
      var chosen = circumstance.selectedOptions[0];
      if (chosen && chosen.parentElement.disabled) circumstance.value = "";
    }
    item.addEventListener("change", narrow);
    narrow();
  }
  function all() {
    document.querySelectorAll("form").forEach(bind);
  }
  document.addEventListener("DOMContentLoaded", all);
  document.addEventListener("htmx:afterSettle", all);
})();
